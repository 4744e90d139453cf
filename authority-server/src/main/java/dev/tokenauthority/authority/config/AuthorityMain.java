package dev.tokenauthority.authority.config;

import dev.tokenauthority.cli.EnvironmentDefaults;
import dev.tokenauthority.cli.Flag;
import dev.tokenauthority.cli.StartupFailures;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar authority-server.jar serve [options]}, or {@code rewrap-keys [options]}. */
@Command(name = "authority-server", mixinStandardHelpOptions = true,
        subcommands = {ServeCommand.class, RewrapKeysCommand.class},
        description = "Token Authority: issues, rotates and revokes tokens over gRPC.")
public final class AuthorityMain {

    /** Every flag's environment variable starts so: {@code --db-url} is {@code TOKENAUTHORITY_DB_URL}. */
    static final String ENVIRONMENT_PREFIX = "TOKENAUTHORITY_";

    /** The flag {@code name} with its environment variable, as refusals name it. */
    static Flag flag(String name) {
        return Flag.of(ENVIRONMENT_PREFIX, name);
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * The command line with its defaults from {@code environment}. A failure to start (a
     * {@link dev.tokenauthority.cli.StartupRefusal}: a port in use, an unreachable database, a bad key-encryption
     * key file; or anything unforeseen) ends it with one line and exit status 2, no stack trace unless --verbose.
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        return StartupFailures.install(new CommandLine(new AuthorityMain())
                .setDefaultValueProvider(new EnvironmentDefaults(ENVIRONMENT_PREFIX, environment)));
    }
}
