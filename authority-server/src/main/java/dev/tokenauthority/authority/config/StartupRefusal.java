package dev.tokenauthority.authority.config;

/**
 * A configuration or stored state the authority will not start with. The command line prints only
 * the message (it says what is wrong and what to do) and exits with {@link #EXIT_CODE}.
 */
public final class StartupRefusal extends RuntimeException {

    /** Distinct from picocli's 1 (an unexpected failure) and 2 (a usage error). */
    public static final int EXIT_CODE = 3;

    public StartupRefusal(String message) {
        super(message, null, false, false);
    }
}
