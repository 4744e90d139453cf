package dev.tokenauthority.authority;

import dev.tokenauthority.cli.EnvironmentDefaults;
import dev.tokenauthority.authority.config.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar authority-server.jar serve [options]}. */
@Command(name = "authority-server", mixinStandardHelpOptions = true, subcommands = ServeCommand.class,
        description = "Token Authority: issues, rotates and revokes tokens over gRPC.")
public final class AuthorityMain {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new AuthorityMain())
                .setDefaultValueProvider(new EnvironmentDefaults("TOKENAUTHORITY_", System.getenv()));
        System.exit(cli.execute(args));
    }
}
