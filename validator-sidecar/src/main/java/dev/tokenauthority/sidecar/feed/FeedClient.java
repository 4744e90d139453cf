package dev.tokenauthority.sidecar.feed;

import com.google.protobuf.util.Timestamps;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.Heartbeat;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.state.RevocationSnapshotBuilder;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the authority's revocation feed into the local state. Messages are applied on the
 * transport thread that receives them (gRPC delivers one stream's messages one at a time, and
 * one stream is open at a time, so the state still has a single writer at any moment): waking a
 * thread of our own for every event put a thread hand-off on the propagation path, milliseconds
 * on a busy machine. The {@code feed-client} thread only opens streams and waits for their end.
 *
 * <p>It subscribes from the last applied position (sequence and entry id; 0, a snapshot, at
 * first), applies snapshots atomically at their end and events in order, and checks every
 * event's previous_sequence against what it has applied: a mismatch means an event was missed,
 * and it resubscribes from 0 for a fresh snapshot rather than go on with a hole. An event it
 * cannot apply (a poison event: no entry it knows, an unreadable key set) is handled the same
 * way, since skipping it could leave a revocation out and retrying from the same position would
 * meet it again forever; a snapshot it cannot apply leaves the state as it was, to age towards
 * max staleness while the client retries with backoff. Both are logged and counted
 * ({@link #resyncs}). A broken stream is retried with capped, jittered backoff from the last
 * applied position, so nothing is applied twice or skipped; the authority sends a snapshot
 * instead when that position is not in its log (the log went back). Expired entries are swept
 * after every snapshot and periodically.
 */
public final class FeedClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);
    /** How often expired entries are swept from the state. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

    private final Channel channel;
    private final SubscribeRequest credentials;
    private final InMemoryRevocationState state;
    private final FeedFreshness freshness;
    private final Clock clock;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final AtomicReference<Context.CancellableContext> current = new AtomicReference<>();
    private final Thread thread;
    private final Map<ResyncCause, LongAdder> resyncs = new EnumMap<>(ResyncCause.class);
    private volatile boolean running = true;
    private long lastSweepMillis;

    public FeedClient(Channel channel, String sidecarId, String clientId, String clientSecret,
            InMemoryRevocationState state, FeedFreshness freshness, Clock clock) {
        this.channel = channel;
        this.credentials = SubscribeRequest.newBuilder().setSidecarId(sidecarId).setClientId(clientId)
                .setClientSecret(clientSecret).build();
        this.state = state;
        this.freshness = freshness;
        this.clock = clock;
        this.thread = new Thread(this::run, "feed-client");
        thread.setDaemon(true);
        for (ResyncCause cause : ResyncCause.values()) {
            resyncs.put(cause, new LongAdder());
        }
    }

    /** Why the client asked for a fresh snapshot instead of resuming. */
    public enum ResyncCause {
        /** An event did not follow the last one applied. */
        MISSED_EVENT,
        /** An event, or a snapshot's entry, could not be applied. */
        POISON_MESSAGE
    }

    /** How often the client resynchronised for {@code cause}. */
    public long resyncs(ResyncCause cause) {
        return resyncs.get(cause).sum();
    }

    public void start() {
        thread.start();
    }

    /** Signals that the stream lost an event; the client resubscribes for a snapshot. */
    static final class MissedEventException extends RuntimeException {
        MissedEventException(long expected, long previous) {
            super("missed an event: applied " + expected + ", event follows " + previous, null, false, false);
        }
    }

    /** Signals a message the state cannot take; the client resubscribes for a snapshot, after a backoff. */
    static final class PoisonMessageException extends RuntimeException {
        PoisonMessageException(String what, IllegalArgumentException cause) {
            super("cannot apply " + what + ": " + cause.getMessage(), cause, false, false);
        }
    }

    private void run() {
        boolean needSnapshot = false;
        while (running) {
            SubscribeRequest request = needSnapshot
                    ? credentials
                    : credentials.toBuilder().setAfterSequence(state.appliedSequence())
                            .setAfterEntryId(state.appliedEntryId()).build();
            needSnapshot = false;
            Context.CancellableContext context = Context.current().withCancellation();
            current.set(context);
            try {
                Stream stream = new Stream(context);
                context.run(() -> RevocationFeedServiceGrpc.newStub(channel).withExecutor(Runnable::run)
                        .subscribe(request, stream));
                stream.end.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof MissedEventException missed) {
                    LOG.warn("{}; resubscribing for a snapshot", missed.getMessage());
                    resyncs.get(ResyncCause.MISSED_EVENT).increment();
                    needSnapshot = true;
                    continue;
                }
                if (e.getCause() instanceof PoisonMessageException poison) {
                    LOG.error("{}; resubscribing for a snapshot (state kept as it was meanwhile)", poison.getMessage());
                    resyncs.get(ResyncCause.POISON_MESSAGE).increment();
                    needSnapshot = true;
                }
                if (running) {
                    LOG.warn("revocation feed interrupted ({}); resuming from sequence {}", e.getCause().getMessage(),
                            state.appliedSequence());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                context.cancel(null);
            }
            sleep(backoff.nextDelay());
            if (channel instanceof ManagedChannel managed) {
                // The channel keeps its own reconnect timer (up to 2 minutes after a long outage);
                // our capped backoff decides when to try, so the channel must not wait longer.
                managed.resetConnectBackoff();
            }
        }
    }

    /**
     * One subscription's messages, applied as they arrive; {@link #end} completes when the stream
     * ends, exceptionally when it broke (a {@link MissedEventException}, or the stream's error).
     */
    private final class Stream implements StreamObserver<FeedMessage> {
        final CompletableFuture<Void> end = new CompletableFuture<>();
        private final Context.CancellableContext context;
        private RevocationSnapshotBuilder snapshot;
        private long snapshotTakenAtMillis;

        Stream(Context.CancellableContext context) {
            this.context = context;
        }

        @Override
        public void onNext(FeedMessage message) {
            if (end.isDone() || !running) {
                return; // cancelled; messages already in flight are dropped
            }
            try {
                handle(message);
            } catch (MissedEventException | PoisonMessageException e) {
                end.completeExceptionally(e);
                context.cancel(null);
            } catch (IllegalArgumentException e) {
                end.completeExceptionally(new PoisonMessageException(message.getMessageCase().name(), e));
                context.cancel(null);
            }
        }

        private void handle(FeedMessage message) {
            switch (message.getMessageCase()) {
                case SNAPSHOT_BEGIN -> {
                    snapshot = new RevocationSnapshotBuilder(message.getSnapshotBegin().getSequence(), 1024);
                    snapshotTakenAtMillis = Timestamps.toMillis(message.getSnapshotBegin().getGeneratedAt());
                }
                case SNAPSHOT_CHUNK -> snapshot.addAll(message.getSnapshotChunk().getEntriesList());
                case SNAPSHOT_END -> {
                    state.applySnapshot(snapshot, message.getSnapshotEnd().getEntryId());
                    snapshot = null;
                    freshness.vouched(message.getSnapshotEnd().getSequence(), state.appliedSequence(),
                            snapshotTakenAtMillis, snapshotTakenAtMillis);
                    sweep(true);
                    backoff.reset();
                    LOG.info("applied a snapshot at sequence {} ({} entries)", message.getSnapshotEnd().getSequence(),
                            message.getSnapshotEnd().getEntryCount());
                }
                case EVENT -> apply(message.getEvent());
                case EVENTS -> message.getEvents().getEventsList().forEach(FeedClient.this::apply);
                case HEARTBEAT -> {
                    Heartbeat heartbeat = message.getHeartbeat();
                    freshness.vouched(heartbeat.getSequence(), state.appliedSequence(),
                            Timestamps.toMillis(heartbeat.getLogReadAt()), Timestamps.toMillis(heartbeat.getServerTime()));
                    backoff.reset();
                    sweep(false);
                }
                default -> { }
            }
        }

        @Override
        public void onError(Throwable t) {
            end.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            end.complete(null);
        }
    }

    private void apply(FeedEvent event) {
        long applied = state.appliedSequence();
        if (event.getSequence() <= applied) {
            return; // already applied (a resumed stream may repeat the edge)
        }
        if (event.getPreviousSequence() != applied) {
            throw new MissedEventException(applied, event.getPreviousSequence());
        }
        state.apply(event);
        long recordedAt = Timestamps.toMillis(event.getRecordedAt());
        freshness.vouched(event.getSequence(), state.appliedSequence(), recordedAt, recordedAt);
    }

    private void sweep(boolean now) {
        long millis = clock.millis();
        if (now || millis - lastSweepMillis >= SWEEP_INTERVAL.toMillis()) {
            state.sweep(Instant.ofEpochMilli(millis));
            lastSweepMillis = millis;
        }
    }

    private void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Context.CancellableContext context = current.get();
        if (context != null) {
            context.cancel(null);
        }
        thread.interrupt();
    }
}
