package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.issuance.IssuedPairStore;
import dev.tokenauthority.authority.token.RefreshToken;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link IssuedPairStore}. */
final class JdbiIssuedPairStore implements IssuedPairStore {

    private static final String INSERT_REFRESH_TOKEN = """
            INSERT INTO refresh_tokens (id, secret_hash, session_id, parent_id, user_id, client_id, issued_at,
                                        last_used_at, last_activity_at, expires_at, status, tags)
            VALUES (:refreshTokenId, :secretHash, :sessionId, :parentId, :userId, :clientId, :issuedAt,
                    :lastUsedAt, :lastActivityAt, :refreshExpiresAt, :status, :tags)""";

    private static final String INSERT_ACCESS_TOKEN = """
            INSERT INTO access_tokens (jti, session_id, refresh_token_id, user_id, client_id, issued_at, expires_at)
            VALUES (:jti, :sessionId, :refreshTokenId, :userId, :clientId, :issuedAt, :accessExpiresAt)""";

    private static final String INSERT = INSERT_REFRESH_TOKEN + ";\n" + INSERT_ACCESS_TOKEN;

    private final Handle handle;

    JdbiIssuedPairStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(RefreshToken refresh, String jti, Instant accessExpiresAt) {
        execute(INSERT, refresh, jti, accessExpiresAt);
    }

    @Override
    public void insertAccessToken(RefreshToken refresh, String jti, Instant issuedAt, Instant accessExpiresAt) {
        handle.createUpdate(INSERT_ACCESS_TOKEN)
                .bind("jti", jti).bind("sessionId", refresh.sessionId()).bind("refreshTokenId", refresh.id())
                .bind("userId", refresh.userId()).bind("clientId", refresh.clientId())
                .bind("issuedAt", issuedAt).bind("accessExpiresAt", accessExpiresAt)
                .execute();
    }

    private void execute(String sql, RefreshToken t, String jti, Instant accessExpiresAt) {
        handle.createUpdate(sql)
                .bind("refreshTokenId", t.id()).bind("secretHash", t.secretHash()).bind("sessionId", t.sessionId())
                .bind("parentId", t.parentId()).bind("userId", t.userId()).bind("clientId", t.clientId())
                .bind("issuedAt", t.issuedAt()).bind("lastUsedAt", t.lastUsedAt())
                // V4: listings sort by last use on this non-null column; issued_at until the first use.
                .bind("lastActivityAt", t.lastUsedAt() == null ? t.issuedAt() : t.lastUsedAt())
                .bind("refreshExpiresAt", t.expiresAt()).bind("status", t.status().name())
                .bind("tags", SpaceSeparated.join(t.tags()))
                .bind("jti", jti).bind("accessExpiresAt", accessExpiresAt)
                .execute();
    }
}
