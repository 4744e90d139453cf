package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.login.ThrottleWindow;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The shared login-throttle windows ({@code login_throttle}, V14). On the login path, so fluent rather than a SQL object. */
public final class LoginThrottleDao {

    /** SQLSTATE of a unique violation, the same on PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Handle handle;

    public LoginThrottleDao(Handle handle) {
        this.handle = handle;
    }

    /** The window of {@code key}, locked until the transaction ends; empty when it has no row yet. */
    public Optional<ThrottleWindow> lock(String key) {
        return handle.createQuery("SELECT * FROM login_throttle WHERE throttle_key = :key FOR UPDATE")
                .bind("key", key)
                .map((rs, ctx) -> new ThrottleWindow(rs.getString("throttle_key"), Rows.instant(rs, "window_start"),
                        rs.getInt("attempts"), rs.getInt("failures"), rs.getInt("refusals"),
                        rs.getObject("failed_audit_id", Long.class), rs.getObject("throttled_audit_id", Long.class)))
                .findOne();
    }

    /**
     * Creates an empty window for {@code key} unless one exists. Run outside a transaction: when two
     * logins create the same row at once the loser's unique violation is ignored here, where it
     * cannot abort a PostgreSQL transaction.
     */
    public void createIfAbsent(String key, Instant now) {
        try {
            handle.createUpdate("""
                    INSERT INTO login_throttle (throttle_key, window_start, attempts, failures, refusals)
                    SELECT :key, :now, 0, 0, 0 FROM (VALUES (1)) AS one(x)
                    WHERE NOT EXISTS (SELECT 1 FROM login_throttle WHERE throttle_key = :key)
                    """).bind("key", key).bind("now", now).execute();
        } catch (UnableToExecuteStatementException e) {
            if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw e;
            }
        }
    }

    public void save(ThrottleWindow w) {
        handle.createUpdate("""
                UPDATE login_throttle SET window_start = :start, attempts = :attempts, failures = :failures,
                       refusals = :refusals, failed_audit_id = :failedAuditId, throttled_audit_id = :throttledAuditId
                WHERE throttle_key = :key
                """).bindMethods(w).execute();
    }

    /** Gives back one attempt reserved in the window that started at {@code start}, if it is still current. */
    public void release(String key, Instant start) {
        handle.createUpdate("""
                UPDATE login_throttle SET attempts = attempts - 1
                WHERE throttle_key = :key AND window_start = :start AND attempts > 0
                """).bind("key", key).bind("start", start).execute();
    }

    /** Removes windows that started before {@code cutoff} (ended, and no longer referenced). */
    public int deleteStartedBefore(Instant cutoff) {
        return handle.createUpdate("DELETE FROM login_throttle WHERE window_start < :cutoff")
                .bind("cutoff", cutoff).execute();
    }
}
