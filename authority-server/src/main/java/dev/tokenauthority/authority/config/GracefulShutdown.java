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
 *
 * <p>The handler is installed first thing, before the database is opened: a replica told to stop while it
 * is still starting (waiting for its database, migrating) was asked for a normal stop too, and exits 0
 * at once, having served nothing. The steps that drain a serving replica come later, with {@link #whenServing}.
 */
final class GracefulShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private Runnable steps;
    private boolean done;

    private GracefulShutdown() {}

    /** Installs the shutdown hook and the SIGTERM handler, with nothing to drain yet. */
    static GracefulShutdown install() {
        GracefulShutdown shutdown = new GracefulShutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown.run(false), "shutdown"));
        try {
            Signal.handle(new Signal("TERM"), signal -> new Thread(() -> {
                shutdown.run(true);
                System.exit(0);
            }, "sigterm").start());
        } catch (IllegalArgumentException unsupported) {
            LOG.warn("no SIGTERM handler on this platform: SIGTERM will drain through the shutdown hook but exit 143");
        }
        return shutdown;
    }

    /** Once the replica serves: {@code steps} drain and close it at shutdown. */
    synchronized void whenServing(Runnable steps) {
        this.steps = steps;
    }

    /** {@code signalled}: by SIGTERM, not by an exit the program chose (a refused start-up, which said why). */
    private synchronized void run(boolean signalled) {
        if (done) {
            return;
        }
        done = true;
        if (steps != null) {
            steps.run();
        } else if (signalled) {
            LOG.info("SIGTERM while starting: stopping, nothing was serving yet");
        }
    }
}
