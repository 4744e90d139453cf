package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link RefreshTokenStore}. */
final class JdbiRefreshTokenStore implements RefreshTokenStore {

    private static final Rows.RefreshTokenMapper MAPPER = new Rows.RefreshTokenMapper();

    /**
     * The statuses a revocation changes to REVOKED. ROTATED tokens are left as they are: they can
     * no longer be exchanged once their session has ended (rotation checks the session, and a
     * rotated token presented again is refused and audited as reuse), and rewriting the nine dead
     * links of every rotation chain made a bulk revocation ten times the work.
     */
    private static final String LIVE_STATUSES = "'ACTIVE', 'SUSPENDED'";

    /** Revokes the live tokens; callers add the conditions that say whose. */
    private static final String REVOKE = "UPDATE refresh_tokens SET status = 'REVOKED', revoked_at = :at,"
            + " revoked_by = :by, revoke_reason = :reason WHERE status IN (" + LIVE_STATUSES + ")";

    private final Handle handle;

    JdbiRefreshTokenStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Optional<RefreshToken> findById(String id) {
        return handle.createQuery("SELECT * FROM refresh_tokens WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<StoredStatus> findStatuses(List<String> ids) {
        return handle.createQuery("SELECT id, session_id, user_id, status FROM refresh_tokens WHERE id = ANY(:ids)")
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) -> new StoredStatus(rs.getString("id"), rs.getString("session_id"), rs.getString("user_id"),
                        RefreshTokenStatus.valueOf(rs.getString("status"))))
                .list();
    }

    @Override
    public Optional<RefreshToken> findByIdForUpdate(String id) {
        return handle.createQuery("SELECT * FROM refresh_tokens WHERE id = :id FOR UPDATE").bind("id", id).map(MAPPER)
                .findOne();
    }

    @Override
    public int markRotated(String id, String successorId, Instant at) {
        return handle.createUpdate("""
                UPDATE refresh_tokens SET status = 'ROTATED', successor_id = :successorId, rotated_at = :at,
                                          last_used_at = :at, last_activity_at = :at
                WHERE id = :id AND status = 'ACTIVE'
                """).bind("at", at).bind("successorId", successorId).bind("id", id).execute();
    }

    @Override
    public int markExpired(String id) {
        return handle.createUpdate("UPDATE refresh_tokens SET status = 'EXPIRED' WHERE id = :id AND status = 'ACTIVE'")
                .bind("id", id).execute();
    }

    @Override
    public int changeStatus(String id, RefreshTokenStatus from, RefreshTokenStatus to) {
        return handle.createUpdate("UPDATE refresh_tokens SET status = :to WHERE id = :id AND status = :from")
                .bind("to", to.name()).bind("id", id).bind("from", from.name()).execute();
    }

    @Override
    public int updateExpiresAt(String id, Instant expiresAt) {
        return handle.createUpdate("UPDATE refresh_tokens SET expires_at = :at WHERE id = :id")
                .bind("at", expiresAt).bind("id", id).execute();
    }

    @Override
    public int updateNote(String id, String note) {
        return handle.createUpdate("UPDATE refresh_tokens SET note = :note WHERE id = :id")
                .bind("note", note).bind("id", id).execute();
    }

    @Override
    public int updateTags(String id, List<String> tags) {
        return handle.createUpdate("UPDATE refresh_tokens SET tags = :tags WHERE id = :id")
                .bind("tags", SpaceSeparated.join(tags)).bind("id", id).execute();
    }

    @Override
    public int delete(String id) {
        return handle.createUpdate("DELETE FROM refresh_tokens WHERE id = :id").bind("id", id).execute();
    }

    @Override
    public int revokeAllOfSessions(List<String> sessionIds, Instant at, String by, String reason) {
        return handle.createUpdate(REVOKE + " AND session_id = ANY(:ids)").bindArray("ids", String.class, sessionIds)
                .bind("at", at).bind("by", by).bind("reason", reason).execute();
    }

    @Override
    public int countLiveOfSessions(List<String> sessionIds) {
        return handle.createQuery("SELECT COUNT(*) FROM refresh_tokens WHERE status IN (" + LIVE_STATUSES + ")"
                        + " AND session_id = ANY(:ids)")
                .bindArray("ids", String.class, sessionIds).mapTo(Integer.class).one();
    }

    @Override
    public int revokeAll(Instant at, String by, String reason) {
        return handle.createUpdate(REVOKE + " AND " + JdbiSessionTokensToRevokeStore.sessionNotLeftToFollow("refresh_tokens"))
                .bind("at", at).bind("by", by).bind("reason", reason).execute();
    }
}
