package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link SessionStore}. */
final class JdbiSessionStore implements SessionStore {

    private static final Rows.SessionMapper MAPPER = new Rows.SessionMapper();

    private final Handle handle;

    JdbiSessionStore(Handle handle) {
        this.handle = handle;
    }

    @Override
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

    @Override
    public Optional<Session> findById(String id) {
        return handle.createQuery("SELECT * FROM sessions WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public boolean lock(String id) {
        return handle.createUpdate("UPDATE sessions SET last_seen_at = last_seen_at WHERE id = :id AND status = 'ACTIVE'")
                .bind("id", id).execute() == 1;
    }

    @Override
    public boolean touch(String id, Instant at) {
        return handle.createUpdate("UPDATE sessions SET last_seen_at = :at WHERE id = :id AND status = 'ACTIVE'")
                .bind("at", at).bind("id", id).execute() == 1;
    }

    @Override
    public void updateAccess(String id, List<String> audience, List<String> scopes) {
        handle.createUpdate("UPDATE sessions SET audience = :audience, scopes = :scopes WHERE id = :id")
                .bind("audience", SpaceSeparated.join(audience)).bind("scopes", SpaceSeparated.join(scopes))
                .bind("id", id).execute();
    }

    @Override
    public boolean isSuspended(String sessionId) {
        return handle.createQuery(
                        "SELECT COUNT(*) FROM refresh_tokens WHERE session_id = :id AND status = 'SUSPENDED'")
                .bind("id", sessionId).mapTo(Long.class).one() > 0;
    }

    @Override
    public int revokeAll(Instant at, String by, String reason) {
        return handle.createUpdate("""
                UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE status = 'ACTIVE'
                """).bind("at", at).bind("by", by).bind("reason", reason).execute();
    }

    @Override
    public List<String> findActive(List<String> ids) {
        return handle.createQuery("SELECT id FROM sessions WHERE id = ANY(:ids) AND status = 'ACTIVE' ORDER BY id")
                .bindArray("ids", String.class, ids).mapTo(String.class).list();
    }

    @Override
    public int revoke(List<String> ids, Instant at, String by, String reason) {
        return handle.createUpdate("""
                UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE id = ANY(:ids) AND status = 'ACTIVE'
                """).bindArray("ids", String.class, ids).bind("at", at).bind("by", by).bind("reason", reason).execute();
    }

    @Override
    public List<String> findActiveIds(String userId, String clientId) {
        return handle.createQuery(
                        "SELECT id FROM sessions WHERE user_id = :userId AND client_id = :clientId AND status = 'ACTIVE'")
                .bind("userId", userId).bind("clientId", clientId).mapTo(String.class).list();
    }

    @Override
    public List<String> findLiveIdsOfUser(String userId, Instant now) {
        return handle.createQuery("""
                        SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.user_id = :userId AND s.status = 'ACTIVE' AND s.expires_at > :now
                          AND (u.token_invalidated_at IS NULL OR s.created_at > u.token_invalidated_at)
                        ORDER BY s.id""")
                .bind("userId", userId).bind("now", now).mapTo(String.class).list();
    }

    @Override
    public List<String> findActiveIdsOfClient(String clientId) {
        return handle.createQuery(
                        "SELECT id FROM sessions WHERE client_id = :clientId AND status = 'ACTIVE' ORDER BY id")
                .bind("clientId", clientId).mapTo(String.class).list();
    }
}
