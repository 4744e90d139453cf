package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.login.LoginThrottleStore;
import dev.tokenauthority.authority.login.ThrottleWindow;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The SQL behind {@link LoginThrottleStore}. */
final class JdbiLoginThrottleStore implements LoginThrottleStore {

    /** SQLSTATE of a unique violation, the same on PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Handle handle;

    JdbiLoginThrottleStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Optional<ThrottleWindow> lock(String key) {
        return handle.createQuery("SELECT * FROM login_throttle WHERE throttle_key = :key FOR UPDATE")
                .bind("key", key)
                .map((rs, ctx) -> new ThrottleWindow(rs.getString("throttle_key"), Rows.instant(rs, "window_start"),
                        rs.getInt("attempts"), rs.getInt("failures"), rs.getInt("refusals"),
                        rs.getObject("failed_audit_id", Long.class), rs.getObject("throttled_audit_id", Long.class)))
                .findOne();
    }

    @Override
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

    @Override
    public void save(ThrottleWindow w) {
        handle.createUpdate("""
                UPDATE login_throttle SET window_start = :start, attempts = :attempts, failures = :failures,
                       refusals = :refusals, failed_audit_id = :failedAuditId, throttled_audit_id = :throttledAuditId
                WHERE throttle_key = :key
                """).bindMethods(w).execute();
    }

    @Override
    public void release(String key, Instant start) {
        handle.createUpdate("""
                UPDATE login_throttle SET attempts = attempts - 1
                WHERE throttle_key = :key AND window_start = :start AND attempts > 0
                """).bind("key", key).bind("start", start).execute();
    }

    @Override
    public int deleteStartedBefore(Instant cutoff) {
        return handle.createUpdate("DELETE FROM login_throttle WHERE window_start < :cutoff")
                .bind("cutoff", cutoff).execute();
    }
}
