package dev.tokenauthority.sidecar.feed;

import java.time.Clock;
import java.time.Duration;

/**
 * How current this sidecar's revocation state is. The state is in sync when it has applied
 * everything the authority said it had published; its age is the time since it was last known
 * to be in sync. Before the first snapshot there is no state at all.
 *
 * <p>Every message that moves freshness says, on the authority's clock, a moment at which the
 * log held nothing beyond what this sidecar has now applied: a heartbeat, when its replica last
 * read the log's end from the database ({@code log_read_at}); an event, when it was recorded
 * (an entry committed earlier got its sequence earlier); a snapshot, when it was taken. The
 * state was in sync then, and no later. That moment is read two ways and the earlier one wins:
 * as a time on this sidecar's clock (clocks kept in step, as token expiry already needs), and
 * counted back from the message's arrival by its age on the authority's clock. The first keeps a
 * message that arrives late (a paused process, a stalled connection) from passing for news; the
 * second keeps an authority clock that runs ahead from making old state look fresh. A replica
 * that can no longer read the database sends heartbeats whose read time stands still, and the
 * state ages towards max staleness.
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

    /**
     * The authority vouched that at {@code asOfMillis} the log ended at or before {@code sequence},
     * in a message it sent at {@code sentAtMillis} (both on its clock; the same for a message that
     * names no send time), while this sidecar had applied {@code applied}.
     */
    public void vouched(long sequence, long applied, long asOfMillis, long sentAtMillis) {
        if (sequence > authoritySequence) {
            authoritySequence = sequence;
        }
        if (applied >= sequence) {
            long now = clock.millis();
            long inSyncAt = Math.min(Math.min(asOfMillis, now), now - Math.max(0, sentAtMillis - asOfMillis));
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
