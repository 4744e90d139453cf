package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.session.Session;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(Rows.SessionMapper.class)
public interface SessionDao {

    @SqlUpdate("""
            INSERT INTO sessions (id, user_id, client_id, audience, scopes, created_at, last_seen_at, expires_at,
                                  ip, user_agent, device_id, device_name, status)
            VALUES (:s.id, :s.userId, :s.clientId, :audience, :scopes, :s.createdAt, :s.lastSeenAt, :s.expiresAt,
                    :s.ip, :s.userAgent, :s.deviceId, :s.deviceName, :status)
            """)
    void insert(@BindMethods("s") Session s, String audience, String scopes, String status);

    default void insert(Session s) {
        insert(s, SpaceSeparated.join(s.audience()), SpaceSeparated.join(s.scopes()), s.status().name());
    }

    @SqlQuery("SELECT * FROM sessions WHERE id = :id")
    Optional<Session> findById(String id);

    @SqlUpdate("UPDATE sessions SET last_seen_at = :at WHERE id = :id")
    int touch(String id, Instant at);

    @SqlUpdate("""
            UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
            WHERE id = :id AND status = 'ACTIVE'
            """)
    int revoke(String id, Instant at, String by, String reason);

    @SqlUpdate("""
            UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
            WHERE user_id = :userId AND status = 'ACTIVE'
            """)
    int revokeAllOfUser(String userId, Instant at, String by, String reason);

    @SqlUpdate("""
            UPDATE sessions SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
            WHERE status = 'ACTIVE'
            """)
    int revokeAll(Instant at, String by, String reason);

    @SqlQuery("SELECT id FROM sessions WHERE user_id = :userId AND client_id = :clientId AND status = 'ACTIVE'")
    List<String> findActiveIds(String userId, String clientId);
}
