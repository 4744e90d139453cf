package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.revocation.SessionTokensToRevokeStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link SessionTokensToRevokeStore}. */
final class JdbiSessionTokensToRevokeStore implements SessionTokensToRevokeStore {

    private final Handle handle;

    JdbiSessionTokensToRevokeStore(Handle handle) {
        this.handle = handle;
    }

    /**
     * That the session of a {@code tokenTable} row has no entry here. A session with one was revoked
     * by a revocation of many sessions, whose follower marks its tokens' rows with that revocation's
     * time, actor and reason: a later revocation (of everything, or a force logout's rows) leaves
     * them to it, so a row names what killed its token, and the later one counts only what it killed.
     */
    static String sessionNotLeftToFollow(String tokenTable) {
        return "NOT EXISTS (SELECT 1 FROM session_tokens_to_revoke e WHERE e.session_id = " + tokenTable
                + ".session_id)";
    }

    @Override
    public void put(List<String> sessionIds, Instant at, String by, String reason) {
        // One statement whatever the number of sessions; each session is revoked once (its row is
        // ACTIVE only until then), so no entry exists for it yet.
        handle.createUpdate("""
                INSERT INTO session_tokens_to_revoke (session_id, revoked_at, revoked_by, revoke_reason)
                SELECT s.id, CAST(:at AS TIMESTAMP WITH TIME ZONE), CAST(:by AS VARCHAR(128)),
                       CAST(:reason AS VARCHAR(1024))
                FROM UNNEST(:ids) AS s(id)
                """).bindArray("ids", String.class, sessionIds).bind("at", at).bind("by", by)
                .bind("reason", reason).execute();
    }

    @Override
    public List<Entry> next(int limit) {
        return handle.createQuery("SELECT * FROM session_tokens_to_revoke ORDER BY revoked_at, session_id LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getString("session_id"), Rows.instant(rs, "revoked_at"),
                        rs.getString("revoked_by"), rs.getString("revoke_reason")))
                .list();
    }

    @Override
    public void remove(List<String> sessionIds) {
        handle.createUpdate("DELETE FROM session_tokens_to_revoke WHERE session_id = ANY(:ids)")
                .bindArray("ids", String.class, sessionIds).execute();
    }
}
