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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>Failover: the client follows one of the {@link AuthorityReplicas} at a time. It leaves it
 * for the next when its stream fails or ends, and when the stream has not vouched for anything
 * newer for {@code failoverAfter} on this sidecar's clock: no heartbeat with a later
 * {@code log_read_at}, no event, no snapshot message. That covers a replica that keeps its
 * connection and its heartbeats but can no longer read the database, and one that stopped
 * answering (a paused process, a stalled path), which no transport error would ever reveal. It
 * resumes on the next replica from its position, so no snapshot is needed while that position is
 * still in the log. Meanwhile freshness is not touched: the state ages from the last moment a
 * replica vouched for it, and the stale-state rules apply as they would without failover.
 */
public final class FeedClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);
    /** How often expired entries are swept from the state. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);
    /** How long a stream may go without vouching before the client moves on, unless told otherwise. */
    public static final Duration DEFAULT_FAILOVER_AFTER = Duration.ofSeconds(5);
    /** How often the feed-client thread checks that the current stream still vouches. */
    private static final long WATCH_INTERVAL_MILLIS = 100;
    /** A gap between two checks this long means this process did not run (SIGSTOP, a suspended VM, a long GC). */
    private static final long PAUSED_MILLIS = 1_000;

    private final AuthorityReplicas replicas;
    private final Duration failoverAfter;
    private final SubscribeRequest credentials;
    private final InMemoryRevocationState state;
    private final FeedFreshness freshness;
    private final Clock clock;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final AtomicReference<Context.CancellableContext> current = new AtomicReference<>();
    private final Thread thread;
    private final Map<ResyncCause, LongAdder> resyncs = new EnumMap<>(ResyncCause.class);
    private final Map<FailoverCause, LongAdder> failovers = new EnumMap<>(FailoverCause.class);
    private final LongAdder snapshots = new LongAdder();
    /**
     * Held while a message is applied and while a stream is abandoned, so that once the client has
     * abandoned a stream no message of it is applied any more: the next stream, on another channel,
     * is delivered on another thread, and the state must keep a single writer.
     */
    private final Object applyLock = new Object();
    private volatile boolean running = true;
    private long lastSweepMillis;

    public FeedClient(Channel channel, String sidecarId, String clientId, String clientSecret,
            InMemoryRevocationState state, FeedFreshness freshness, Clock clock) {
        this(AuthorityReplicas.of(channel), DEFAULT_FAILOVER_AFTER, sidecarId, clientId, clientSecret, state, freshness,
                clock);
    }

    public FeedClient(AuthorityReplicas replicas, Duration failoverAfter, String sidecarId, String clientId,
            String clientSecret, InMemoryRevocationState state, FeedFreshness freshness, Clock clock) {
        if (failoverAfter.isNegative() || failoverAfter.isZero()) {
            throw new IllegalArgumentException("failoverAfter must be positive: " + failoverAfter);
        }
        this.replicas = replicas;
        this.failoverAfter = failoverAfter;
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
        for (FailoverCause cause : FailoverCause.values()) {
            failovers.put(cause, new LongAdder());
        }
    }

    /** Why the client left a replica for the next one. */
    public enum FailoverCause {
        /** The stream failed or ended (the replica is down, restarting, or refused the subscription). */
        STREAM_ENDED,
        /** The stream stayed open but vouched for nothing newer within the failover bound. */
        STOPPED_VOUCHING
    }

    /** How often the client moved to another replica for {@code cause} (never with a single replica). */
    public long failovers(FailoverCause cause) {
        return failovers.get(cause).sum();
    }

    /** Snapshots applied, the first one included: a failover that resumed from its position adds none. */
    public long snapshotsApplied() {
        return snapshots.sum();
    }

    /** The replica the client follows now, or tries to. */
    public String currentReplica() {
        return replicas.current().name();
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

    /** Signals a stream that vouched for nothing newer within the failover bound; the client moves on. */
    static final class StoppedVouchingException extends RuntimeException {
        StoppedVouchingException(String replica, Duration silence) {
            super("replica " + replica + " vouched for nothing newer in " + silence.toMillis() + " ms", null, false,
                    false);
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
            AuthorityReplicas.Replica replica = replicas.current();
            boolean moveOn = true;
            boolean wait = true;
            try {
                Stream stream = new Stream(context);
                context.run(() -> RevocationFeedServiceGrpc.newStub(replica.channel()).withExecutor(Runnable::run)
                        .subscribe(request, stream));
                watch(stream, replica);
                stream.end.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StoppedVouchingException) {
                    moveOn(FailoverCause.STOPPED_VOUCHING);
                    moveOn = false;
                    wait = false; // it refused nothing, it fell silent, and the bound has already been waited
                }
                // A resync stays on the replica: it sent what we could not take, not a sign that it is down.
                if (e.getCause() instanceof MissedEventException || e.getCause() instanceof PoisonMessageException) {
                    moveOn = false;
                }
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
            if (moveOn && running) {
                moveOn(FailoverCause.STREAM_ENDED);
            }
            if (wait) {
                sleep(backoff.nextDelay());
            }
            if (replicas.current().channel() instanceof ManagedChannel managed) {
                // The channel keeps its own reconnect timer (up to 2 minutes after a long outage);
                // our capped backoff decides when to try, so the channel must not wait longer.
                managed.resetConnectBackoff();
            }
        }
    }

    /**
     * Waits for the stream's end, abandoning it once it has vouched for nothing newer for {@link #failoverAfter}
     * on this sidecar's clock.
     */
    private void watch(Stream stream, AuthorityReplicas.Replica replica) throws InterruptedException {
        long checkedAt = System.nanoTime();
        while (running && !stream.end.isDone()) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkedAt);
            checkedAt = System.nanoTime();
            if (gapMillis > PAUSED_MILLIS) {
                // This sidecar was paused, not the replica: what it sent meanwhile waits in the socket, and leaving
                // now would drop it. The replica gets the bound again, counted from the end of the pause.
                stream.lastVouchedAtMillis = Math.max(stream.lastVouchedAtMillis, clock.millis());
                continue;
            }
            long silence = clock.millis() - stream.lastVouchedAtMillis;
            if (silence > failoverAfter.toMillis()) {
                stream.abandon(new StoppedVouchingException(replica.name(), Duration.ofMillis(silence)));
                return;
            }
            try {
                stream.end.get(WATCH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // ended (the caller reads how) or still open: check again
            }
        }
    }

    private void moveOn(FailoverCause cause) {
        String from = replicas.current().name();
        String to = replicas.moveOn().name();
        if (to.equals(from)) {
            return; // the only replica: the next stream goes to it again
        }
        failovers.get(cause).increment();
        LOG.warn("leaving authority replica {} ({}); resuming on {} from sequence {}", from,
                cause.name().toLowerCase(Locale.ROOT), to, state.appliedSequence());
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
        /** When (this sidecar's clock) the stream last vouched for something newer; its start at first. */
        private volatile long lastVouchedAtMillis = clock.millis();
        /** The latest moment (the authority's clock) this stream vouched for. */
        private long vouchedAsOfMillis;

        Stream(Context.CancellableContext context) {
            this.context = context;
        }

        @Override
        public void onNext(FeedMessage message) {
            synchronized (applyLock) {
                if (end.isDone() || !running) {
                    return; // cancelled or abandoned; messages already in flight are dropped
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
        }

        /** Ends the stream from the client's side; once this returns, none of its messages is applied. */
        void abandon(RuntimeException why) {
            synchronized (applyLock) {
                end.completeExceptionally(why);
            }
            context.cancel(null);
        }

        /** A message that says the replica read the log later than anything this stream said before. */
        private void progress(long asOfMillis) {
            if (asOfMillis > vouchedAsOfMillis) {
                vouchedAsOfMillis = asOfMillis;
                lastVouchedAtMillis = clock.millis();
            }
        }

        private void handle(FeedMessage message) {
            switch (message.getMessageCase()) {
                case SNAPSHOT_BEGIN -> {
                    snapshot = new RevocationSnapshotBuilder(message.getSnapshotBegin().getSequence(), 1024);
                    snapshotTakenAtMillis = Timestamps.toMillis(message.getSnapshotBegin().getGeneratedAt());
                    lastVouchedAtMillis = clock.millis(); // a large snapshot takes a while: it is work, not silence
                }
                case SNAPSHOT_CHUNK -> {
                    snapshot.addAll(message.getSnapshotChunk().getEntriesList());
                    lastVouchedAtMillis = clock.millis();
                }
                case SNAPSHOT_END -> {
                    state.applySnapshot(snapshot, message.getSnapshotEnd().getEntryId());
                    snapshot = null;
                    snapshots.increment();
                    progress(snapshotTakenAtMillis);
                    freshness.vouched(message.getSnapshotEnd().getSequence(), state.appliedSequence(),
                            snapshotTakenAtMillis, snapshotTakenAtMillis);
                    sweep(true);
                    backoff.reset();
                    LOG.info("applied a snapshot at sequence {} ({} entries) from {}",
                            message.getSnapshotEnd().getSequence(), message.getSnapshotEnd().getEntryCount(),
                            replicas.current().name());
                }
                case EVENT -> {
                    apply(message.getEvent());
                    progress(Timestamps.toMillis(message.getEvent().getRecordedAt()));
                }
                case EVENTS -> message.getEvents().getEventsList().forEach(event -> {
                    apply(event);
                    progress(Timestamps.toMillis(event.getRecordedAt()));
                });
                case HEARTBEAT -> {
                    Heartbeat heartbeat = message.getHeartbeat();
                    progress(Timestamps.toMillis(heartbeat.getLogReadAt()));
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
