package dev.tokenauthority.authority.retention;

import java.time.Instant;

/** Deletes rows of sessions and tokens that ended before a cutoff, a bounded batch at a time. */
public interface RetentionStore {

    /** Deletes up to {@code limit} sessions that expired before {@code cutoff}, their tokens with them. */
    int deleteSessionsExpiredBefore(Instant cutoff, int limit);

    /** Deletes up to {@code limit} refresh tokens that expired before {@code cutoff} (of sessions still kept). */
    int deleteRefreshTokensExpiredBefore(Instant cutoff, int limit);

    /** Deletes up to {@code limit} access-token records that expired before {@code cutoff}. */
    int deleteAccessTokensExpiredBefore(Instant cutoff, int limit);
}
