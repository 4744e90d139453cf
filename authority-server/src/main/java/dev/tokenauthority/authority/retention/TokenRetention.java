package dev.tokenauthority.authority.retention;

import dev.tokenauthority.authority.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the token tables from growing without end: a session's rows (the session, its refresh
 * tokens and its access-token records) are deleted once the session has been over for the
 * retention period, and within sessions still kept, refresh tokens and access-token records are
 * deleted once they have been expired for as long (a session refreshed every few minutes for a
 * month leaves thousands of rotated tokens behind). Until then, administrators see them in
 * listings and details; audit events and the revocation log are kept by their own rules.
 *
 * <p>A deleted rotated refresh token is no longer recognised if presented again: it is refused as
 * unknown rather than detected as reuse. It had been expired for the whole retention period, so it
 * was refused anyway; only the revocation of its session that reuse detection would have added is
 * lost, for a token that old.
 *
 * <p>Each batch is its own short transaction, and one run stops after a time budget so that
 * housekeeping's other work is not held up; the next run continues.
 */
public final class TokenRetention {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    private static final int BATCH = 1_000;
    private static final Duration RUN_BUDGET = Duration.ofSeconds(5);

    private final Transactions transactor;
    private final Duration retention;
    private final Clock clock;
    private final int batch;

    public TokenRetention(Transactions transactor, Duration retention, Clock clock) {
        this(transactor, retention, clock, BATCH);
    }

    /** With batches of {@code batch} rows (a test makes them small to see several). */
    TokenRetention(Transactions transactor, Duration retention, Clock clock, int batch) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the token retention must be positive");
        }
        this.transactor = transactor;
        this.retention = retention;
        this.clock = clock;
        this.batch = batch;
    }

    /** What one run deleted. */
    public record Deleted(int sessions, int refreshTokens, int accessTokens) {
        public boolean any() {
            return sessions + refreshTokens + accessTokens > 0;
        }
    }

    /** Deletes what has been over for the retention period, in batches, for up to a few seconds. */
    public Deleted sweep() {
        Instant cutoff = clock.instant().minus(retention);
        long deadline = System.nanoTime() + RUN_BUDGET.toNanos();
        int sessions = drain(RetentionStore::deleteSessionsExpiredBefore, cutoff, deadline);
        int refreshTokens = drain(RetentionStore::deleteRefreshTokensExpiredBefore, cutoff, deadline);
        int accessTokens = drain(RetentionStore::deleteAccessTokensExpiredBefore, cutoff, deadline);
        return new Deleted(sessions, refreshTokens, accessTokens);
    }

    private int drain(Batch rows, Instant cutoff, long deadline) {
        int total = 0;
        int deleted;
        do {
            deleted = transactor.inTransaction(tx -> rows.delete(tx.store(RetentionStore.class), cutoff, batch));
            total += deleted;
        } while (deleted == batch && System.nanoTime() < deadline);
        return total;
    }

    @FunctionalInterface
    private interface Batch {
        int delete(RetentionStore store, Instant cutoff, int limit);
    }
}
