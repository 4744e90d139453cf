package dev.tokenauthority.cli;

/**
 * A configuration, or a state of the machine or of the stored data, a program will not start with. The command line
 * prints only the message, on one line (it names the flag or the port and says what to do), and exits with
 * {@link #EXIT_CODE}; see {@link StartupFailures}.
 */
public final class StartupRefusal extends RuntimeException {

    /** picocli's code for a usage error: a refusal is the operator's to fix, as a wrong flag is. */
    public static final int EXIT_CODE = 2;

    public StartupRefusal(String message) {
        super(message, null, false, false);
    }

    /** With the failure that caused it, which {@code --verbose} prints. */
    public StartupRefusal(String message, Throwable cause) {
        super(message, cause, false, true);
    }
}
