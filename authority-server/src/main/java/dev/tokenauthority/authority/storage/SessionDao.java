package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.token.Session;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Sessions. A plain class over Jdbi's fluent API rather than a SQL object: in Jdbi 3.54 every
 * {@code Handle.attach} of a SQL object rebuilds its metadata (jdbi/jdbi#2991), which profiling
 * showed to be two thirds of a refresh's CPU. The hot-path stores are written this way.
 */
public final class SessionDao {

    private static final Rows.SessionMapper MAPPER = new Rows.SessionMapper();

    private final Handle handle;

    public SessionDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(Session s) {
        handle.createUpdate("""
                INSERT INTO sessions (id, user_id, client_id, audience, scopes, created_at, last_seen_at, expires_at,
                                      ip, user_agent, device_id, device_name, status)
                VALUES (:id, :userId, :clientId, :audience, :scopes, :createdAt, :lastSeenAt, :expiresAt,
                        :ip, :userAgent, :deviceId, :deviceName, :status)
                """)
                .bind("id", s.id()).bind("userId", s.userId()).bind("clientId", s.clientId())
                .bind("audience", SpaceSeparated.join(s.audience())).bind("scopes", SpaceSeparated.join(s.scopes()))
                .bind("createdAt", s.createdAt()).bind("lastSeenAt", s.lastSeenAt()).bind("expiresAt", s.expiresAt())
                .bind("ip", s.ip()).bind("userAgent", s.userAgent()).bind("deviceId", s.deviceId())
                .bind("deviceName", s.deviceName()).bind("status", s.status().name())
                .execute();
    }

    public Optional<Session> findById(String id) {
        return handle.createQuery("SELECT * FROM sessions WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    /**
     * Locks the session's row until the transaction ends, with an UPDATE of a non-key column (a
     * lock that does not block inserts of tokens referencing the session): changes to its tokens'
     * suspension then decide one after the other.
     */
    public void lock(String id) {
        handle.createUpdate("UPDATE sessions SET last_seen_at = last_seen_at WHERE id = :id").bind("id", id).execute();
    }

    /** Narrows what the session's next tokens carry (a client or role change since the login). */
    public void updateAccess(String id, List<String> audience, List<String> scopes) {
        handle.createUpdate("UPDATE sessions SET audience = :audience, scopes = :scopes WHERE id = :id")
                .bind("audience", SpaceSeparated.join(audience)).bind("scopes", SpaceSeparated.join(scopes))
                .bind("id", id).execute();
    }

    /**
     * Whether the session is suspended: an administrator suspended one of its refresh tokens
     * (SuspendToken) and has not resumed it. Its access tokens are then dead on the authority as
     * on every sidecar (which hears SESSION_SUSPENDED for the session).
     */
    public boolean isSuspended(String sessionId) {
        return handle.createQuery(
                        "SELECT COUNT(*) FROM refresh_tokens WHERE session_id = :id AND status = 'SUSPENDED'")
                .bind("id", sessionId).mapTo(Long.class).one() > 0;
    }

    public int revokeAllOfUser(String userId, Instant at, String by, String reason) {
        return handle.createUpdate("""
                UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE user_id = :userId AND status = 'ACTIVE'
                """).bind("userId", userId).bind("at", at).bind("by", by).bind("reason", reason).execute();
    }

    public int revokeAll(Instant at, String by, String reason) {
        return handle.createUpdate("""
                UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE status = 'ACTIVE'
                """).bind("at", at).bind("by", by).bind("reason", reason).execute();
    }

    /** Which of {@code ids} are ACTIVE sessions, in id order (one statement for any number of ids). */
    public List<String> findActive(List<String> ids) {
        return handle.createQuery("SELECT id FROM sessions WHERE id = ANY(:ids) AND status = 'ACTIVE' ORDER BY id")
                .bindArray("ids", String.class, ids).mapTo(String.class).list();
    }

    public int revoke(List<String> ids, Instant at, String by, String reason) {
        return handle.createUpdate("""
                UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE id = ANY(:ids) AND status = 'ACTIVE'
                """).bindArray("ids", String.class, ids).bind("at", at).bind("by", by).bind("reason", reason).execute();
    }

    public List<String> findActiveIds(String userId, String clientId) {
        return handle.createQuery(
                        "SELECT id FROM sessions WHERE user_id = :userId AND client_id = :clientId AND status = 'ACTIVE'")
                .bind("userId", userId).bind("clientId", clientId).mapTo(String.class).list();
    }
}
