package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.activity.ActivityCounts;
import dev.tokenauthority.authority.activity.ActivityBucket;
import dev.tokenauthority.authority.activity.ActivityStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The SQL behind {@link ActivityStore}. The adding upsert is one statement on each database (PostgreSQL's
 * {@code ON CONFLICT}, H2's {@code MERGE}), so two replicas flushing the same minute add up instead of one
 * overwriting the other or failing on the primary key.
 */
final class JdbiActivityStore implements ActivityStore {

    private static final String POSTGRES_ADD = """
            INSERT INTO activity_minutes AS t
                   (minute_start, logins, refreshes, revocations, reuse_detections, active_sessions)
            VALUES (:minute, :logins, :refreshes, :revocations, :reuseDetections, :activeSessions)
            ON CONFLICT (minute_start) DO UPDATE SET
                   logins = t.logins + EXCLUDED.logins,
                   refreshes = t.refreshes + EXCLUDED.refreshes,
                   revocations = t.revocations + EXCLUDED.revocations,
                   reuse_detections = t.reuse_detections + EXCLUDED.reuse_detections,
                   active_sessions = COALESCE(EXCLUDED.active_sessions, t.active_sessions)
            """;
    private static final String H2_ADD = """
            MERGE INTO activity_minutes t
            USING (VALUES (CAST(:minute AS TIMESTAMP WITH TIME ZONE), CAST(:logins AS BIGINT),
                           CAST(:refreshes AS BIGINT), CAST(:revocations AS BIGINT),
                           CAST(:reuseDetections AS BIGINT), CAST(:activeSessions AS BIGINT)))
                  AS s (minute_start, logins, refreshes, revocations, reuse_detections, active_sessions)
            ON t.minute_start = s.minute_start
            WHEN MATCHED THEN UPDATE SET
                   logins = t.logins + s.logins,
                   refreshes = t.refreshes + s.refreshes,
                   revocations = t.revocations + s.revocations,
                   reuse_detections = t.reuse_detections + s.reuse_detections,
                   active_sessions = COALESCE(s.active_sessions, t.active_sessions)
            WHEN NOT MATCHED THEN INSERT
                   (minute_start, logins, refreshes, revocations, reuse_detections, active_sessions)
                   VALUES (s.minute_start, s.logins, s.refreshes, s.revocations, s.reuse_detections,
                           s.active_sessions)
            """;

    private final Handle handle;
    private final Database.Dialect dialect;

    JdbiActivityStore(Handle handle, Database.Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    @Override
    public void add(Instant minute, ActivityCounts counts, Long activeSessions) {
        handle.createUpdate(dialect == Database.Dialect.POSTGRESQL ? POSTGRES_ADD : H2_ADD)
                .bind("minute", minute)
                .bindMethods(counts)
                .bind("activeSessions", activeSessions)
                .execute();
    }

    @Override
    public List<ActivityBucket> since(Instant from) {
        return handle.createQuery("SELECT * FROM activity_minutes WHERE minute_start >= :from ORDER BY minute_start")
                .bind("from", from)
                .map((rs, ctx) -> new ActivityBucket(Rows.instant(rs, "minute_start"),
                        new ActivityCounts(rs.getLong("logins"), rs.getLong("refreshes"), rs.getLong("revocations"),
                                rs.getLong("reuse_detections")),
                        rs.getObject("active_sessions", Long.class)))
                .list();
    }

    @Override
    public long countActiveSessions(Instant now) {
        // The same rule as the sessions page's "active only" (JdbiSessionSearch).
        return handle.createQuery("""
                        SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.status = 'ACTIVE' AND s.expires_at > :now
                          AND (u.token_invalidated_at IS NULL OR s.created_at > u.token_invalidated_at)
                        """)
                .bind("now", now)
                .mapTo(Long.class)
                .one();
    }

    @Override
    public int deleteBefore(Instant cutoff) {
        return handle.createUpdate("DELETE FROM activity_minutes WHERE minute_start < :cutoff")
                .bind("cutoff", cutoff).execute();
    }
}
