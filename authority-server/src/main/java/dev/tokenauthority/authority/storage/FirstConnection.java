package dev.tokenauthority.authority.storage;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first connection a starting authority makes, before the pool and the migrations: retried while the database
 * may still be coming up (or an H2 file is still being let go by the process before), each retry logged on one line,
 * and given up within {@link #BUDGET} with the reason in words ({@link Database.Unreachable}). Without it the pool's
 * three-second waits and the migrations' own retries kept a newcomer with a wrong URL waiting 50 s in silence.
 */
final class FirstConnection {

    private static final Logger LOG = LoggerFactory.getLogger(FirstConnection.class);
    /** How long start-up keeps trying: the operator hears why within ten seconds. */
    static final Duration BUDGET = Duration.ofSeconds(6);
    /** The first pause between attempts; it doubles up to {@link #MAX_DELAY}. */
    private static final Duration FIRST_DELAY = Duration.ofMillis(500);
    private static final Duration MAX_DELAY = Duration.ofSeconds(2);
    /** PgJDBC's bound on one attempt's connect and login (it counts in whole seconds). */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    /** H2's error code for a database file another process holds open. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private FirstConnection() {}

    /** Returns once a connection opened; throws {@link Database.Unreachable} when none did within the budget. */
    static void await(String url, String user, String password) {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        Duration delay = FIRST_DELAY;
        for (int attempt = 1; ; attempt++) {
            try (Connection ignored = open(url, user, password, ATTEMPT_TIMEOUT)) {
                if (attempt > 1) {
                    LOG.info("the database answered at attempt {}", attempt);
                }
                return;
            } catch (SQLException e) {
                Database.Unreachable.Cause cause = causeOf(e);
                if (!cause.worthRetrying() || System.nanoTime() + delay.toNanos() > deadline) {
                    throw new Database.Unreachable(cause, attempt, detail(e), e);
                }
                LOG.warn("the database does not answer yet ({}); attempt {} failed, next in {} ms", cause.words(),
                        attempt, delay.toMillis());
                sleep(delay);
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
        }
    }

    /** A connection outside any pool, its connect and login bounded by {@code timeout} where the driver allows. */
    static Connection open(String url, String user, String password, Duration timeout) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user == null ? "" : user);
        properties.setProperty("password", password == null ? "" : password);
        if (Database.Dialect.of(url) == Database.Dialect.POSTGRESQL) {
            // PgJDBC's own bounds (seconds) on connecting and logging in: an unreachable host must not hang the caller.
            String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
            properties.setProperty("connectTimeout", seconds);
            properties.setProperty("loginTimeout", seconds);
        }
        return DriverManager.getConnection(Database.effectiveUrl(url), properties);
    }

    static Database.Unreachable.Cause causeOf(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return Database.Unreachable.Cause.REFUSED;
            }
            if (cause instanceof UnknownHostException) {
                return Database.Unreachable.Cause.UNKNOWN_HOST;
            }
            if (cause instanceof SocketTimeoutException) {
                return Database.Unreachable.Cause.TIMED_OUT;
            }
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
            return Database.Unreachable.Cause.IN_USE;
        }
        if (state.startsWith("28")) {
            return Database.Unreachable.Cause.AUTHENTICATION; // invalid authorization specification (SQL standard)
        }
        if (state.equals("3D000")) {
            return Database.Unreachable.Cause.NO_DATABASE; // invalid catalog name: PostgreSQL's "does not exist"
        }
        if (state.equals("57P03")) {
            return Database.Unreachable.Cause.STARTING; // PostgreSQL: "the database system is starting up"
        }
        return Database.Unreachable.Cause.OTHER;
    }

    /**
     * The driver's first line, which names host, database or user but never the password; for an unknown host the
     * name itself (PgJDBC only says that the attempt failed).
     */
    private static String detail(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException unknown) {
                return "\"" + unknown.getMessage() + "\" does not resolve";
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").strip().replaceFirst("\\.$", "");
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }
}
