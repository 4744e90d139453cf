package dev.tokenauthority.cli;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * How a program that cannot start says so: one line on standard error, {@code <command>: <reason>}, and exit status
 * {@link StartupRefusal#EXIT_CODE}, for a wrong flag as for a port in use or an unreachable database. A newcomer
 * reads the reason, not a stack trace; {@code --verbose} ({@link Verbosity}) adds the trace for whoever debugs.
 * A failure no code path foresaw still gets its one line (its type and message) and the same exit status.
 */
public final class StartupFailures {

    private StartupFailures() {}

    /** Installs both handlers on {@code cli} and its subcommands; returns it. */
    public static CommandLine install(CommandLine cli) {
        return cli
                .setParameterExceptionHandler((e, args) -> report(e.getCommandLine(), e.getMessage()
                        + " (--help lists every flag)", e))
                .setExecutionExceptionHandler((e, command, parsed) -> report(command, reason(e), e));
    }

    private static int report(CommandLine command, String reason, Exception e) {
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + oneLine(reason));
        if (verbose(command)) {
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return StartupRefusal.EXIT_CODE;
    }

    /** The refusal's own words, or for an unforeseen failure what little the exception says. */
    static String reason(Throwable e) {
        if (e instanceof StartupRefusal || e instanceof ParameterException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return "no such file: " + e.getMessage() + " (check the flag that names it)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage() + " (check the flag that names it and the file's owner)";
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return "could not start: " + e.getClass().getSimpleName() + message + " (" + Verbosity.FLAG
                + " prints the stack trace)";
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static boolean verbose(CommandLine command) {
        OptionSpec option = command.getCommandSpec().findOption(Verbosity.FLAG);
        return option != null && Boolean.TRUE.equals(option.getValue());
    }
}
