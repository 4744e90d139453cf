package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.revocation.SessionRowsToRevokeStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link SessionRowsToRevokeStore}. */
final class JdbiSessionRowsToRevokeStore implements SessionRowsToRevokeStore {

    /** The user's sessions the entry covers: every one begun at or before the watermark, live or not. */
    private static final String SESSIONS_BEGUN_BY = "SELECT id FROM sessions WHERE user_id = :userId AND created_at <= :watermark";
    /** Their live refresh tokens, but those a revocation of many sessions killed first and marks itself. */
    private static final String LIVE_TOKENS_OF_SESSIONS_BEGUN_BY = "user_id = :userId AND status IN ('ACTIVE', 'SUSPENDED')"
            + " AND session_id IN (" + SESSIONS_BEGUN_BY + ") AND "
            + JdbiSessionTokensToRevokeStore.sessionNotLeftToFollow("refresh_tokens");

    private final Handle handle;

    JdbiSessionRowsToRevokeStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void put(Entry entry) {
        // The caller holds the user's row lock, so no other force logout of this user runs meanwhile.
        handle.createUpdate("DELETE FROM session_rows_to_revoke WHERE user_id = :userId")
                .bind("userId", entry.userId()).execute();
        handle.createUpdate("""
                INSERT INTO session_rows_to_revoke (user_id, watermark, revoked_by, revoke_reason)
                VALUES (:userId, :watermark, :by, :reason)""")
                .bind("userId", entry.userId()).bind("watermark", entry.watermark())
                .bind("by", entry.revokedBy()).bind("reason", entry.reason()).execute();
    }

    @Override
    public List<Entry> next(int limit) {
        return handle.createQuery("SELECT * FROM session_rows_to_revoke ORDER BY watermark, user_id LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getString("user_id"), Rows.instant(rs, "watermark"),
                        rs.getString("revoked_by"), rs.getString("revoke_reason")))
                .list();
    }

    @Override
    public RevokedRows revoke(Entry entry, Instant at) {
        int sessions = handle.createUpdate("""
                UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE user_id = :userId AND status = 'ACTIVE' AND created_at <= :watermark""")
                .bind("at", at).bind("by", entry.revokedBy()).bind("reason", entry.reason())
                .bind("userId", entry.userId()).bind("watermark", entry.watermark()).execute();
        // A refresh that raced the force logout may have left a successor after the watermark in one
        // of these sessions: tokens are picked by their session's start, not their own issue time.
        int refreshTokens = handle.createUpdate("""
                UPDATE refresh_tokens SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE\s""" + LIVE_TOKENS_OF_SESSIONS_BEGUN_BY)
                .bind("at", at).bind("by", entry.revokedBy()).bind("reason", entry.reason())
                .bind("userId", entry.userId()).bind("watermark", entry.watermark()).execute();
        handle.createUpdate("DELETE FROM session_rows_to_revoke WHERE user_id = :userId AND watermark = :watermark")
                .bind("userId", entry.userId()).bind("watermark", entry.watermark()).execute();
        return new RevokedRows(sessions, refreshTokens);
    }

    @Override
    public Instant watermarkFloor(String userId) {
        Instant latestSession = handle.createQuery("SELECT MAX(created_at) FROM sessions WHERE user_id = :userId")
                .bind("userId", userId).mapTo(Instant.class).one();
        Instant watermark = handle.createQuery("SELECT token_invalidated_at FROM users WHERE id = :userId")
                .bind("userId", userId).mapTo(Instant.class).findOne().orElse(null);
        if (latestSession == null || watermark != null && watermark.isAfter(latestSession)) {
            return watermark;
        }
        return latestSession;
    }

    @Override
    public RevokedRows countLive(String userId, Instant watermark) {
        int sessions = handle.createQuery("""
                SELECT COUNT(*) FROM sessions WHERE user_id = :userId AND status = 'ACTIVE' AND created_at <= :watermark""")
                .bind("userId", userId).bind("watermark", watermark).mapTo(Integer.class).one();
        int refreshTokens = handle.createQuery("""
                SELECT COUNT(*) FROM refresh_tokens WHERE\s""" + LIVE_TOKENS_OF_SESSIONS_BEGUN_BY)
                .bind("userId", userId).bind("watermark", watermark).mapTo(Integer.class).one();
        return new RevokedRows(sessions, refreshTokens);
    }
}
