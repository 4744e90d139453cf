package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Records of issued access tokens (jti, session, lifetime) so a single jti can be revoked and
 * listed (a hot-path store: fluent API, see {@link SessionDao} for why).
 */
public final class AccessTokenDao {

    public record AccessTokenRecord(String jti, String sessionId, String refreshTokenId, String userId, String clientId,
            Instant issuedAt, Instant expiresAt, Instant revokedAt) {
    }

    public static final RowMapper<AccessTokenRecord> MAPPER = ConstructorMapper.of(AccessTokenRecord.class);

    private final Handle handle;

    public AccessTokenDao(Handle handle) {
        this.handle = handle;
    }

    public Optional<AccessTokenRecord> findByJti(String jti) {
        return handle.createQuery("SELECT * FROM access_tokens WHERE jti = :jti").bind("jti", jti).map(MAPPER).findOne();
    }

    public int revoke(String jti, Instant at) {
        return handle.createUpdate("UPDATE access_tokens SET revoked_at = :at WHERE jti = :jti AND revoked_at IS NULL")
                .bind("at", at).bind("jti", jti).execute();
    }

    public int revokeAllOfSessions(List<String> sessionIds, Instant at) {
        return handle.createUpdate("UPDATE access_tokens SET revoked_at = :at WHERE session_id = ANY(:ids) AND revoked_at IS NULL")
                .bindArray("ids", String.class, sessionIds).bind("at", at).execute();
    }
}
