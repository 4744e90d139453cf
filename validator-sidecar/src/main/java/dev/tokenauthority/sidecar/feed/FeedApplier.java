package dev.tokenauthority.sidecar.feed;

import com.google.protobuf.util.Timestamps;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.Heartbeat;
import dev.tokenauthority.api.v1.SnapshotEnd;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.state.RevocationSnapshotBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the feed delivers into the sidecar's revocation state and its {@link FeedFreshness}, and sweeps expired
 * entries after every snapshot and periodically. One per {@link FeedClient}, shared by its successive streams, of
 * which the client lets one at a time apply anything, so the state keeps a single writer.
 */
final class FeedApplier {

    /** The client's logger: the feed's log lines keep the one logger name operators filter on. */
    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);
    /** How often expired entries are swept from the state. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

    private final InMemoryRevocationState state;
    private final FeedFreshness freshness;
    private final Backoff backoff;
    private final Clock clock;
    private final LongAdder snapshots = new LongAdder();
    private long lastSweepMillis;

    /** {@code backoff} is the client's reconnect backoff: a snapshot or heartbeat applied shows the feed is healthy. */
    FeedApplier(InMemoryRevocationState state, FeedFreshness freshness, Backoff backoff, Clock clock) {
        this.state = state;
        this.freshness = freshness;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Signals that the stream lost an event; the client resubscribes for a snapshot. */
    static final class MissedEventException extends RuntimeException {
        MissedEventException(long expected, long previous) {
            super("missed an event: applied " + expected + ", event follows " + previous, null, false, false);
        }
    }

    /** Snapshots applied, the first one included. */
    long snapshotsApplied() {
        return snapshots.sum();
    }

    /** Replaces the state with a complete snapshot, taken at {@code takenAtMillis} on the authority's clock. */
    void applySnapshot(RevocationSnapshotBuilder snapshot, SnapshotEnd end, long takenAtMillis, String replica) {
        state.applySnapshot(snapshot, end.getSequence(), end.getEntryId());
        snapshots.increment();
        freshness.vouched(end.getSequence(), state.appliedSequence(), takenAtMillis, takenAtMillis);
        sweep(true);
        backoff.reset();
        LOG.info("applied a snapshot at sequence {} ({} entries) from {}", end.getSequence(), end.getEntryCount(),
                replica);
    }

    /**
     * Applies an event that follows the last one applied, skips one already applied (a resumed stream may repeat the
     * edge), and throws {@link MissedEventException} for one that does not follow.
     */
    void apply(FeedEvent event) {
        long applied = state.appliedSequence();
        if (event.getSequence() <= applied) {
            return;
        }
        if (event.getPreviousSequence() != applied) {
            throw new MissedEventException(applied, event.getPreviousSequence());
        }
        state.apply(event);
        long recordedAt = Timestamps.toMillis(event.getRecordedAt());
        freshness.vouched(event.getSequence(), state.appliedSequence(), recordedAt, recordedAt);
    }

    /** A heartbeat: the authority's sequence, and how recently it read its log. */
    void heartbeat(Heartbeat heartbeat) {
        freshness.vouched(heartbeat.getSequence(), state.appliedSequence(),
                Timestamps.toMillis(heartbeat.getLogReadAt()), Timestamps.toMillis(heartbeat.getServerTime()));
        backoff.reset();
        sweep(false);
    }

    private void sweep(boolean now) {
        long millis = clock.millis();
        if (now || millis - lastSweepMillis >= SWEEP_INTERVAL.toMillis()) {
            state.sweep(Instant.ofEpochMilli(millis));
            lastSweepMillis = millis;
        }
    }
}
