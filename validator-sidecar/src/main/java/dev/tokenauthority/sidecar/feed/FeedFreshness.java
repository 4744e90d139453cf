package dev.tokenauthority.sidecar.feed;

import java.time.Clock;
import java.time.Duration;

/**
 * How current this sidecar's revocation state is. The state is in sync when it has applied
 * everything the authority said it had published; its age is the time since it was last known
 * to be in sync. Before the first snapshot there is no state at all.
 *
 * <p>A heartbeat proves only what its replica read from the database, and when: it says "at
 * log_read_at the log ended at this sequence". The moment the state was in sync is then that
 * read, not the heartbeat's arrival, counted back from arrival by the heartbeat's own age on the
 * authority's clock (so the two clocks need not agree). A replica that can no longer read the
 * database sends heartbeats whose read time stands still, and the state ages.
 *
 * <p>Written by the feed client (one stream's messages at a time), read on every Validate: two
 * volatile longs, no lock.
 */
public final class FeedFreshness {

    private final Clock clock;
    private final Duration maxStaleness;
    /** Epoch millis of the last moment the state was known to be in sync; 0 before the first snapshot. */
    private volatile long inSyncAtMillis;
    /** The highest sequence the authority reported (events, snapshot ends, heartbeats). */
    private volatile long authoritySequence;

    public FeedFreshness(Clock clock, Duration maxStaleness) {
        this.clock = clock;
        this.maxStaleness = maxStaleness;
    }

    /** The authority reported {@code sequence} while this sidecar had applied {@code applied}. */
    public void observed(long sequence, long applied) {
        if (sequence > authoritySequence) {
            authoritySequence = sequence;
        }
        if (applied >= sequence) {
            inSyncAtMillis = clock.millis();
        }
    }

    /**
     * A heartbeat: the authority read the log's end, {@code sequence}, at {@code logReadAtMillis}
     * and sent this at {@code serverTimeMillis} (both on its clock), while this sidecar had applied
     * {@code applied}.
     */
    public void vouched(long sequence, long applied, long serverTimeMillis, long logReadAtMillis) {
        if (sequence > authoritySequence) {
            authoritySequence = sequence;
        }
        if (applied >= sequence) {
            long inSyncAt = clock.millis() - Math.max(0, serverTimeMillis - logReadAtMillis);
            if (inSyncAt > inSyncAtMillis) {
                inSyncAtMillis = inSyncAt;
            }
        }
    }

    public boolean hasSnapshot() {
        return inSyncAtMillis != 0;
    }

    /** Milliseconds since the state was last known in sync; Long.MAX_VALUE before the first snapshot. */
    public long ageMillis() {
        long at = inSyncAtMillis;
        return at == 0 ? Long.MAX_VALUE : Math.max(0, clock.millis() - at);
    }

    public boolean isFresh() {
        return ageMillis() <= maxStaleness.toMillis();
    }

    public long authoritySequence() {
        return authoritySequence;
    }

    public Duration maxStaleness() {
        return maxStaleness;
    }
}
