package dev.tokenauthority.authority.config;

import dev.tokenauthority.cli.EnvironmentDefaults;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar authority-server.jar serve [options]}, or {@code rewrap-keys [options]}. */
@Command(name = "authority-server", mixinStandardHelpOptions = true,
        subcommands = {ServeCommand.class, RewrapKeysCommand.class},
        description = "Token Authority: issues, rotates and revokes tokens over gRPC.")
public final class AuthorityMain {

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * The command line with its defaults from {@code environment}. A {@link StartupRefusal} (a bad
     * key-encryption key file, a signing key no configured KEK opens) ends it with its message alone,
     * no stack trace, and {@link StartupRefusal#EXIT_CODE}.
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new AuthorityMain())
                .setDefaultValueProvider(new EnvironmentDefaults("TOKENAUTHORITY_", environment))
                .setExecutionExceptionHandler((e, cli, parsed) -> {
                    if (e instanceof StartupRefusal) {
                        cli.getErr().println("authority-server " + cli.getCommandName() + ": " + e.getMessage());
                        return StartupRefusal.EXIT_CODE;
                    }
                    throw e;
                });
    }
}
