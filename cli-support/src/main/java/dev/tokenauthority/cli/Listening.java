package dev.tokenauthority.cli;

import java.net.BindException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Starting a listener on a port a flag names, refused in words when the port cannot be had. */
public final class Listening {

    private Listening() {}

    /** The listener {@code start} opens on {@code port}; a port in use or forbidden becomes a {@link StartupRefusal}. */
    public static <T> T on(Flag flag, int port, Callable<T> start) throws Exception {
        try {
            return start.call();
        } catch (Exception e) {
            String why = bindFailure(e);
            if (why == null) {
                throw e;
            }
            throw new StartupRefusal(flag.name() + " " + port + ": " + why + "; stop whatever holds it, or choose "
                    + "another port with " + flag, e);
        }
    }

    /** Why {@code e} could not bind, in words, or null when it is no bind failure. */
    static String bindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("address already in use")) {
                return "the port is already in use";
            }
            if (message.contains("permission denied") && (cause instanceof BindException || message.contains("bind"))) {
                return "binding the port is not permitted to this user (ports below 1024 need privileges)";
            }
            if (message.contains("cannot assign requested address")) {
                return "the address is not one of this machine's";
            }
        }
        return null;
    }
}
