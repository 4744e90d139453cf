package dev.tokenauthority.cli;

/**
 * A flag as a refusal names it: the flag and the environment variable that sets it too, e.g.
 * {@code --grpc-port (TOKENAUTHORITY_GRPC_PORT)}, so the operator finds it whichever way the program is configured.
 */
public record Flag(String name, String variable) {

    /** The flag {@code name} of a program whose variables start with {@code prefix} (see {@link EnvironmentDefaults}). */
    public static Flag of(String prefix, String name) {
        return new Flag(name, new EnvironmentDefaults(prefix, java.util.Map.of()).variableFor(name));
    }

    @Override
    public String toString() {
        return name + " (" + variable + ")";
    }
}
