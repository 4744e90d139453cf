package dev.tokenauthority.sidecar.feed;

import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the authority's revocation feed into the local state. Messages are applied on the
 * transport thread that receives them (gRPC delivers one stream's messages one at a time, and
 * one stream is open at a time, so the state still has a single writer at any moment): waking a
 * thread of our own for every event put a thread hand-off on the propagation path, milliseconds
 * on a busy machine. The {@code feed-client} thread only opens streams and waits for their end.
 *
 * <p>It subscribes from the last applied sequence (0, a snapshot, at first), applies snapshots
 * atomically at their end and events in order, and checks every event's previous_sequence
 * against what it has applied: a mismatch means an event was missed, and it resubscribes from 0
 * for a fresh snapshot rather than go on with a hole. A broken stream is retried with capped,
 * jittered backoff from the last applied sequence, so nothing is applied twice or skipped.
 * Expired entries are swept after every snapshot and periodically.
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

    private void run() {
        boolean needSnapshot = false;
        while (running) {
            long after = needSnapshot ? 0 : state.appliedSequence();
            needSnapshot = false;
            Context.CancellableContext context = Context.current().withCancellation();
            current.set(context);
            try {
                Stream stream = new Stream(context);
                context.run(() -> RevocationFeedServiceGrpc.newStub(channel).withExecutor(Runnable::run)
                        .subscribe(credentials.toBuilder().setAfterSequence(after).build(), stream));
                stream.end.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof MissedEventException missed) {
                    LOG.warn("{}; resubscribing for a snapshot", missed.getMessage());
                    needSnapshot = true;
                    continue;
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
            } catch (MissedEventException | IllegalArgumentException e) {
                end.completeExceptionally(e);
                context.cancel(null);
            }
        }

        private void handle(FeedMessage message) {
            switch (message.getMessageCase()) {
                case SNAPSHOT_BEGIN -> snapshot = new RevocationSnapshotBuilder(
                        message.getSnapshotBegin().getSequence(), 1024);
                case SNAPSHOT_CHUNK -> snapshot.addAll(message.getSnapshotChunk().getEntriesList());
                case SNAPSHOT_END -> {
                    state.applySnapshot(snapshot);
                    snapshot = null;
                    freshness.observed(message.getSnapshotEnd().getSequence(), state.appliedSequence());
                    sweep(true);
                    backoff.reset();
                    LOG.info("applied a snapshot at sequence {} ({} entries)", message.getSnapshotEnd().getSequence(),
                            message.getSnapshotEnd().getEntryCount());
                }
                case EVENT -> apply(message.getEvent());
                case EVENTS -> message.getEvents().getEventsList().forEach(FeedClient.this::apply);
                case HEARTBEAT -> {
                    freshness.observed(message.getHeartbeat().getSequence(), state.appliedSequence());
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
        freshness.observed(event.getSequence(), state.appliedSequence());
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
