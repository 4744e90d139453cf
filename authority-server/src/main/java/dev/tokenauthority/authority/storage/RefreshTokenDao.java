package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.refresh.RefreshToken;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Refresh tokens (a hot-path store: fluent API, see {@link SessionDao} for why). */
public final class RefreshTokenDao {

    private static final Rows.RefreshTokenMapper MAPPER = new Rows.RefreshTokenMapper();

    private final Handle handle;

    public RefreshTokenDao(Handle handle) {
        this.handle = handle;
    }

    public Optional<RefreshToken> findById(String id) {
        return handle.createQuery("SELECT * FROM refresh_tokens WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    /**
     * The compare-and-set at the heart of rotation: of concurrent callers presenting the same
     * token, exactly one sees 1 (the row lock serialises them, and the losers re-evaluate the
     * status after the winner commits).
     */
    public int markRotated(String id, Instant at) {
        return handle.createUpdate("""
                UPDATE refresh_tokens SET status = 'ROTATED', rotated_at = :at, last_used_at = :at
                WHERE id = :id AND status = 'ACTIVE'
                """).bind("at", at).bind("id", id).execute();
    }

    public int markExpired(String id) {
        return handle.createUpdate("UPDATE refresh_tokens SET status = 'EXPIRED' WHERE id = :id AND status = 'ACTIVE'")
                .bind("id", id).execute();
    }

    public int revokeAllOfUser(String userId, Instant at, String by, String reason) {
        return handle.createUpdate("""
                UPDATE refresh_tokens SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE user_id = :userId AND status IN ('ACTIVE', 'ROTATED', 'SUSPENDED')
                """).bind("userId", userId).bind("at", at).bind("by", by).bind("reason", reason).execute();
    }

    public int revokeAll(Instant at, String by, String reason) {
        return handle.createUpdate("""
                UPDATE refresh_tokens SET status = 'REVOKED', revoked_at = :at, revoked_by = :by, revoke_reason = :reason
                WHERE status IN ('ACTIVE', 'ROTATED', 'SUSPENDED')
                """).bind("at", at).bind("by", by).bind("reason", reason).execute();
    }
}
