package dev.tokenauthority.authority.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the authority's shutdown once, on SIGTERM (how orchestrators stop a replica) or on any other
 * JVM exit, and makes SIGTERM end in exit status 0. Left to the JVM, SIGTERM runs the shutdown hooks
 * and then exits with 143, which supervisors count as a crash; so SIGTERM gets a handler of its own
 * that runs the shutdown and then exits normally. The shutdown hook stays for SIGINT and
 * {@code System.exit}; whichever comes second waits for the first to finish, so the JVM never halts
 * halfway through closing the database.
 */
final class GracefulShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final Runnable steps;
    private boolean done;

    private GracefulShutdown(Runnable steps) {
        this.steps = steps;
    }

    /** Installs {@code steps} as the shutdown hook and the SIGTERM handler. */
    static void install(Runnable steps) {
        GracefulShutdown shutdown = new GracefulShutdown(steps);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "shutdown"));
        try {
            Signal.handle(new Signal("TERM"), signal -> new Thread(() -> {
                shutdown.run();
                System.exit(0);
            }, "sigterm").start());
        } catch (IllegalArgumentException unsupported) {
            LOG.warn("no SIGTERM handler on this platform: SIGTERM will drain through the shutdown hook but exit 143");
        }
    }

    private synchronized void run() {
        if (!done) {
            done = true;
            steps.run();
        }
    }
}
