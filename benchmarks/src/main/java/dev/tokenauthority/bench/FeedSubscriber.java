package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.sidecar.feed.Backoff;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber of the feed load generators ({@link FeedFanoutBenchmark}, {@link ReconnectStormBenchmark}):
 * a bare Subscribe stream on a channel of its own (so an HTTP/2 connection of its own), holding a
 * position (sequence, entry_id) as a sidecar does, checking that every event's previous_sequence is
 * the sequence it holds, and resubscribing from that position after a stream ends, with the
 * sidecar's capped, jittered backoff. It builds no revocation tables: snapshot chunks are counted
 * by their bytes ({@link FeedFrame}) and entries by {@code SnapshotEnd.entry_count}.
 *
 * <p>Callbacks of one stream run one at a time (gRPC serialises them), so the position needs no
 * lock; the benchmark thread reads it and the counters through volatile fields and atomics.
 */
final class FeedSubscriber {

    /** The sidecar's first reconnect delay; it doubles per consecutive failure. */
    private static final Duration BACKOFF_BASE = Duration.ofMillis(100);
    /** The longest reconnect delay (the sidecar caps at 5 s; a storm of 2 s waits is the harsher case). */
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(2);

    private final String sidecarId;
    private final ManagedChannel channel;
    private final SubscribeRequest credentials;
    private final ScheduledExecutorService reconnects;
    private final EventArrivals arrivals;
    private final int index;
    private final Backoff backoff = new Backoff(BACKOFF_BASE, BACKOFF_CAP);

    private volatile long sequence;
    private volatile long entryId;
    /** When this stream first received a heartbeat with everything up to it applied; 0 until then. */
    private volatile long freshAtNanos;
    private volatile boolean closed;
    private volatile ClientCall<SubscribeRequest, FeedFrame> call;
    /** Bytes of the snapshot being received, from its SnapshotBegin on. */
    private long pendingSnapshotBytes;

    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong snapshotBytes = new AtomicLong();
    private final AtomicLong snapshotEntries = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong streamEnds = new AtomicLong();

    /**
     * @param credentials client id and secret of a client holding feed:subscribe, and the snapshot form asked for
     * @param arrivals where event arrival times go (row {@code index}), or null
     */
    FeedSubscriber(int index, ManagedChannel channel, SubscribeRequest credentials,
            ScheduledExecutorService reconnects, EventArrivals arrivals) {
        this.index = index;
        this.sidecarId = "feed-load-" + index;
        this.channel = channel;
        this.credentials = credentials;
        this.reconnects = reconnects;
        this.arrivals = arrivals;
    }

    /** Starts from a position taken from elsewhere (a subscriber that synced before); (0, 0) asks for a snapshot. */
    void startFrom(long sequence, long entryId) {
        this.sequence = sequence;
        this.entryId = entryId;
        subscribe();
    }

    /** Drops the position, as a newly started sidecar holds none: the next subscription asks for a snapshot. */
    void forgetPosition() {
        sequence = 0;
        entryId = 0;
    }

    private void subscribe() {
        if (closed) {
            return;
        }
        freshAtNanos = 0;
        SubscribeRequest request = credentials.toBuilder().setSidecarId(sidecarId)
                .setAfterSequence(sequence).setAfterEntryId(entryId).build();
        ClientCall<SubscribeRequest, FeedFrame> next = channel.newCall(FeedFrame.SUBSCRIBE, CallOptions.DEFAULT);
        call = next;
        ClientCalls.asyncServerStreamingCall(next, request, new Observer());
    }

    private final class Observer implements StreamObserver<FeedFrame> {
        @Override
        public void onNext(FeedFrame frame) {
            if (frame.isSnapshotChunk()) {
                pendingSnapshotBytes += frame.wireBytes();
                return;
            }
            FeedMessage m = frame.message();
            switch (m.getMessageCase()) {
                case SNAPSHOT_BEGIN -> pendingSnapshotBytes = frame.wireBytes();
                case SNAPSHOT_END -> {
                    snapshotBytes.addAndGet(pendingSnapshotBytes + frame.wireBytes());
                    snapshotEntries.addAndGet(m.getSnapshotEnd().getEntryCount());
                    snapshots.incrementAndGet();
                    pendingSnapshotBytes = 0;
                    entryId = m.getSnapshotEnd().getEntryId();
                    sequence = m.getSnapshotEnd().getSequence();
                }
                case EVENT -> apply(m.getEvent());
                case EVENTS -> m.getEvents().getEventsList().forEach(this::apply);
                case HEARTBEAT -> {
                    if (freshAtNanos == 0 && sequence >= m.getHeartbeat().getSequence()) {
                        freshAtNanos = System.nanoTime();
                        backoff.reset();
                    }
                }
                default -> { }
            }
        }

        private void apply(FeedEvent event) {
            if (event.getPreviousSequence() != sequence) {
                gaps.incrementAndGet();
            }
            sequence = event.getSequence();
            entryId = event.getEntryId();
            events.incrementAndGet();
            if (arrivals != null) {
                arrivals.record(index, event.getSequence(), System.nanoTime());
            }
        }

        @Override
        public void onError(Throwable t) {
            ended();
        }

        @Override
        public void onCompleted() {
            ended();
        }

        private void ended() {
            freshAtNanos = 0;
            if (closed) {
                return;
            }
            streamEnds.incrementAndGet();
            long delay = backoff.nextDelay().toMillis();
            reconnects.schedule(() -> {
                // The channel keeps its own reconnect timer; ours decides when to try, as the sidecar's does.
                channel.resetConnectBackoff();
                subscribe();
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** When this stream became fresh (System.nanoTime), or 0 while it is not. */
    long freshAtNanos() {
        return freshAtNanos;
    }

    long sequence() {
        return sequence;
    }

    long snapshots() {
        return snapshots.get();
    }

    long snapshotBytes() {
        return snapshotBytes.get();
    }

    long snapshotEntries() {
        return snapshotEntries.get();
    }

    long events() {
        return events.get();
    }

    /** Events whose previous_sequence was not the sequence held: missed entries. */
    long gaps() {
        return gaps.get();
    }

    long streamEnds() {
        return streamEnds.get();
    }

    void close() {
        closed = true;
        ClientCall<SubscribeRequest, FeedFrame> current = call;
        if (current != null) {
            current.cancel("benchmark over", null);
        }
        channel.shutdownNow();
    }
}
