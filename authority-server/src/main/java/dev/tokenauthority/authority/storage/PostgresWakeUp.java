package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.token.RevocationLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this replica's feed when any replica's revocation commits: LISTEN on the channel the
 * appends NOTIFY. On its own connection (outside the pool), reconnecting after failures; while
 * it is down, the feed's polling still bounds propagation.
 */
public final class PostgresWakeUp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWakeUp.class);
    /** How long one wait for notifications blocks before checking for shutdown. */
    private static final int WAIT_MILLIS = 500;

    private final Supplier<Connection> connections;
    private final Runnable wake;
    private volatile boolean running = true;
    private final Thread thread;

    public PostgresWakeUp(Supplier<Connection> connections, Runnable wake) {
        this.connections = connections;
        this.wake = wake;
        this.thread = new Thread(this::run, "revocation-listen");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try (Connection connection = connections.get()) {
                try (Statement st = connection.createStatement()) {
                    st.execute("LISTEN " + RevocationLog.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                wake.run();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        wake.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("LISTEN connection lost ({}); polling covers until it is back", e.getMessage());
                    sleepQuietly();
                }
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
