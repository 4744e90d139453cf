package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.refresh.RefreshToken;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(Rows.RefreshTokenMapper.class)
public interface RefreshTokenDao {

    @SqlUpdate("""
            INSERT INTO refresh_tokens (id, secret_hash, session_id, parent_id, user_id, client_id, issued_at,
                                        last_used_at, expires_at, status, tags)
            VALUES (:t.id, :t.secretHash, :t.sessionId, :t.parentId, :t.userId, :t.clientId, :t.issuedAt,
                    :t.lastUsedAt, :t.expiresAt, :status, :tags)
            """)
    void insert(@BindMethods("t") RefreshToken t, String status, String tags);

    default void insert(RefreshToken t) {
        insert(t, t.status().name(), SpaceSeparated.join(t.tags()));
    }

    @SqlQuery("SELECT * FROM refresh_tokens WHERE id = :id")
    Optional<RefreshToken> findById(String id);

    /**
     * The compare-and-set at the heart of rotation: of concurrent callers presenting the same
     * token, exactly one sees 1 (the row lock serialises them, and the losers re-evaluate the
     * status after the winner commits).
     */
    @SqlUpdate("""
            UPDATE refresh_tokens SET status = 'ROTATED', rotated_at = :at, last_used_at = :at
            WHERE id = :id AND status = 'ACTIVE'
            """)
    int markRotated(String id, Instant at);

    @SqlUpdate("UPDATE refresh_tokens SET status = 'EXPIRED' WHERE id = :id AND status = 'ACTIVE'")
    int markExpired(String id);

    @SqlUpdate("""
            UPDATE refresh_tokens SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
            WHERE session_id = :sessionId AND status IN ('ACTIVE', 'ROTATED')
            """)
    int revokeSession(String sessionId, Instant at, String by, String reason);

    @SqlUpdate("""
            UPDATE refresh_tokens SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
            WHERE user_id = :userId AND status IN ('ACTIVE', 'ROTATED')
            """)
    int revokeAllOfUser(String userId, Instant at, String by, String reason);

    @SqlUpdate("""
            UPDATE refresh_tokens SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
            WHERE status IN ('ACTIVE', 'ROTATED')
            """)
    int revokeAll(Instant at, String by, String reason);
}
