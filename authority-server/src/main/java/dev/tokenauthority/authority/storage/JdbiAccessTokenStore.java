package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.token.AccessTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The SQL behind {@link AccessTokenStore}. */
final class JdbiAccessTokenStore implements AccessTokenStore {


    public static final RowMapper<AccessTokenRecord> MAPPER = ConstructorMapper.of(AccessTokenRecord.class);

    private final Handle handle;

    JdbiAccessTokenStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Optional<AccessTokenRecord> findByJti(String jti) {
        return handle.createQuery("SELECT * FROM access_tokens WHERE jti = :jti").bind("jti", jti).map(MAPPER).findOne();
    }

    @Override
    public Optional<AccessTokenRecord> findLatestOfRefreshToken(String refreshTokenId) {
        return handle.createQuery(
                        "SELECT * FROM access_tokens WHERE refresh_token_id = :id ORDER BY issued_at DESC LIMIT 1")
                .bind("id", refreshTokenId).map(MAPPER).findOne();
    }

    @Override
    public int revoke(String jti, Instant at) {
        return handle.createUpdate("UPDATE access_tokens SET revoked_at = :at WHERE jti = :jti AND revoked_at IS NULL")
                .bind("at", at).bind("jti", jti).execute();
    }

    @Override
    public int revokeAllOfSessions(List<String> sessionIds, Instant at) {
        return handle.createUpdate("UPDATE access_tokens SET revoked_at = :at WHERE session_id = ANY(:ids) AND revoked_at IS NULL")
                .bindArray("ids", String.class, sessionIds).bind("at", at).execute();
    }
}
