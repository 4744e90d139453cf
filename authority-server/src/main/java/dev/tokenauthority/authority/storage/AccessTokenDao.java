package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Records of issued access tokens (jti, session, lifetime) so a single jti can be revoked and listed. */
@RegisterConstructorMapper(AccessTokenDao.AccessTokenRecord.class)
public interface AccessTokenDao {

    record AccessTokenRecord(String jti, String sessionId, String refreshTokenId, String userId, String clientId,
            Instant issuedAt, Instant expiresAt, Instant revokedAt) {
    }

    @SqlUpdate("""
            INSERT INTO access_tokens (jti, session_id, refresh_token_id, user_id, client_id, issued_at, expires_at)
            VALUES (:jti, :sessionId, :refreshTokenId, :userId, :clientId, :issuedAt, :expiresAt)
            """)
    void insert(String jti, String sessionId, String refreshTokenId, String userId, String clientId,
            Instant issuedAt, Instant expiresAt);

    @SqlQuery("SELECT * FROM access_tokens WHERE jti = :jti")
    Optional<AccessTokenRecord> findByJti(String jti);

    @SqlUpdate("UPDATE access_tokens SET revoked_at = :at WHERE jti = :jti AND revoked_at IS NULL")
    int revoke(String jti, Instant at);

    @SqlUpdate("UPDATE access_tokens SET revoked_at = :at WHERE session_id = :sessionId AND revoked_at IS NULL")
    int revokeSession(String sessionId, Instant at);

    @SqlQuery("SELECT MAX(expires_at) FROM access_tokens")
    Optional<Instant> latestExpiry();
}
