package dev.tokenauthority.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} flag, mixed into each command that starts a server (see {@link StartupFailures}). */
public final class Verbosity {

    static final String FLAG = "--verbose";

    @Option(names = FLAG, description = "Print the stack trace of a start-up failure as well as its one-line reason.")
    boolean verbose;
}
