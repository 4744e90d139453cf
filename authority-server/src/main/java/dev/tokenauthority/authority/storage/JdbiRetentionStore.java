package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.retention.RetentionStore;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * The SQL behind {@link RetentionStore}. A bounded batch is picked by a subquery with LIMIT, which
 * both databases accept where DELETE ... LIMIT is not standard; the tokens of a deleted session go
 * with it by the foreign keys' ON DELETE CASCADE.
 */
final class JdbiRetentionStore implements RetentionStore {

    private final Handle handle;

    JdbiRetentionStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public int deleteSessionsExpiredBefore(Instant cutoff, int limit) {
        return delete("sessions", "id", cutoff, limit);
    }

    @Override
    public int deleteRefreshTokensExpiredBefore(Instant cutoff, int limit) {
        return delete("refresh_tokens", "id", cutoff, limit);
    }

    @Override
    public int deleteAccessTokensExpiredBefore(Instant cutoff, int limit) {
        return delete("access_tokens", "jti", cutoff, limit);
    }

    private int delete(String table, String key, Instant cutoff, int limit) {
        return handle.createUpdate("DELETE FROM %1$s WHERE %2$s IN (SELECT %2$s FROM %1$s WHERE expires_at < :cutoff LIMIT :limit)"
                        .formatted(table, key))
                .bind("cutoff", cutoff).bind("limit", limit).execute();
    }
}
