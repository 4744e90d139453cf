package dev.tokenauthority.sidecar.feed;

import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.sidecar.feed.FeedApplier.MissedEventException;
import dev.tokenauthority.sidecar.feed.FeedStream.PoisonMessageException;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * still in the log. A replica that shuts down ends its streams with UNAVAILABLE saying so
 * ({@link #SHUTTING_DOWN}): the client then goes to the next replica at once, without its backoff
 * (it is the only one refusing, and the sooner the client resumes, the less the state ages); with a
 * single replica it retries that one after its backoff as for any broken stream. Meanwhile freshness is not touched: the state ages from the last moment a
 * replica vouched for it, and the stale-state rules apply as they would without failover.
 *
 * <p>This class is the connection side: it opens the streams, watches them, retries and moves between replicas.
 * Each stream's messages are handled by a {@link FeedStream}, which applies them through the one
 * {@link FeedApplier} that writes the state.
 */
public final class FeedClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);
    /** How long a stream may go without vouching before the client moves on, unless told otherwise. */
    public static final Duration DEFAULT_FAILOVER_AFTER = Duration.ofSeconds(5);
    /**
     * How a replica's stream ends when the replica shuts down: UNAVAILABLE with a description that
     * starts so (see feed.proto).
     */
    static final String SHUTTING_DOWN = "authority shutting down";
    /** How often the feed-client thread checks that the current stream still vouches. */
    private static final long WATCH_INTERVAL_MILLIS = 100;
    /** A gap between two checks this long means this process did not run (SIGSTOP, a suspended VM, a long GC). */
    private static final long PAUSED_MILLIS = 1_000;

    private final AuthorityReplicas replicas;
    private final Duration failoverAfter;
    private final SubscribeRequest credentials;
    private final InMemoryRevocationState state;
    private final FeedApplier applier;
    private final Clock clock;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    /**
     * After the authority refused the client's credentials: an operator has to fix them, so retrying every few
     * seconds would only fill the log (and the authority's audit) with the same refusal.
     */
    private final Backoff refusedBackoff = Backoff.withHalfJitter(Duration.ofSeconds(2), Duration.ofMinutes(1));
    /** Streams that failed since one last delivered a message; read by the transport thread of the next stream. */
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final AtomicReference<Context.CancellableContext> current = new AtomicReference<>();
    private final Thread thread;
    private final Map<ResyncCause, LongAdder> resyncs = new EnumMap<>(ResyncCause.class);
    private final Map<FailoverCause, LongAdder> failovers = new EnumMap<>(FailoverCause.class);
    /**
     * Held while a message is applied and while a stream is abandoned, so that once the client has
     * abandoned a stream no message of it is applied any more: the next stream, on another channel,
     * is delivered on another thread, and the state must keep a single writer.
     */
    private final Object applyLock = new Object();
    private volatile boolean running = true;

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
                .setClientSecret(clientSecret).setAcceptsHashedSnapshot(true).build();
        this.state = state;
        this.applier = new FeedApplier(state, freshness, backoff, clock);
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
        return applier.snapshotsApplied();
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

    /** Signals a stream that vouched for nothing newer within the failover bound; the client moves on. */
    static final class StoppedVouchingException extends RuntimeException {
        StoppedVouchingException(String replica, Duration silence) {
            super("replica " + replica + " vouched for nothing newer in " + silence.toMillis() + " ms", null, false,
                    false);
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
            boolean refused = false;
            FeedStream stream = null;
            try {
                long from = request.getAfterSequence();
                FeedStream opened = new FeedStream(context, replica.name(), applier, applyLock, () -> running, clock,
                        () -> following(replica.name(), from),
                        new FeedAcknowledger(replica.channel(), context, credentials, state));
                stream = opened;
                context.run(() -> RevocationFeedServiceGrpc.newStub(replica.channel()).withExecutor(Runnable::run)
                        .subscribe(request, opened));
                watch(opened, replica);
                opened.end.get();
            } catch (ExecutionException e) {
                if (isShutdown(e.getCause()) && running) {
                    moveOn = false;
                    // The replica is leaving and said so: another has no reason to refuse. With none
                    // other, this one is retried after the backoff, like any broken stream.
                    wait = !moveOn(FailoverCause.STREAM_ENDED);
                }
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
                    refused = reportFailure(e.getCause(), replica.name(), stream != null && stream.answered());
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
                sleep(refused ? refusedBackoff.nextDelay() : backoff.nextDelay());
            }
            if (replicas.current().channel() instanceof ManagedChannel managed) {
                // The channel keeps its own reconnect timer (up to 2 minutes after a long outage);
                // our capped backoff decides when to try, so the channel must not wait longer.
                managed.resetConnectBackoff();
            }
        }
    }

    /** Logs why a stream failed, in words; true when the authority refused the credentials (see {@link FeedFailure}). */
    private boolean reportFailure(Throwable end, String replica, boolean answered) {
        FeedFailure failure = FeedFailure.of(end, replica, answered);
        int failures = failuresInARow.incrementAndGet();
        if (failure.refusedCredentials()) {
            LOG.error("cannot follow the revocation feed: {}; retrying with a backoff of up to a minute", failure.words());
        } else {
            LOG.warn("revocation feed from {} failed ({}); attempt {} in a row, retrying from sequence {}", replica,
                    failure.words(), failures, state.appliedSequence());
        }
        return failure.refusedCredentials();
    }

    /** A stream delivered its first message: after failures, say that the feed is followed again and from where. */
    private void following(String replica, long fromSequence) {
        int failed = failuresInARow.getAndSet(0);
        refusedBackoff.reset();
        if (failed > 0) {
            LOG.info("following the revocation feed again on {} after {} failed attempts, from sequence {}{}", replica,
                    failed, fromSequence, fromSequence == 0 ? " (a full snapshot)" : "");
        }
    }

    /**
     * Waits for the stream's end, abandoning it once it has vouched for nothing newer for {@link #failoverAfter}
     * on this sidecar's clock.
     */
    private void watch(FeedStream stream, AuthorityReplicas.Replica replica) throws InterruptedException {
        long checkedAt = System.nanoTime();
        while (running && !stream.end.isDone()) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkedAt);
            checkedAt = System.nanoTime();
            if (gapMillis > PAUSED_MILLIS) {
                // This sidecar was paused, not the replica: what it sent meanwhile waits in the socket, and leaving
                // now would drop it. The replica gets the bound again, counted from the end of the pause.
                stream.countSilenceFrom(clock.millis());
                continue;
            }
            long silence = clock.millis() - stream.lastVouchedAtMillis();
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

    /** Whether a stream ended because its replica is shutting down. */
    private static boolean isShutdown(Throwable end) {
        if (!(end instanceof StatusRuntimeException status)) {
            return false;
        }
        String description = status.getStatus().getDescription();
        return status.getStatus().getCode() == Status.Code.UNAVAILABLE && description != null
                && description.startsWith(SHUTTING_DOWN);
    }

    /** Moves to the next replica; false when there is no other (the next stream goes to the same one again). */
    private boolean moveOn(FailoverCause cause) {
        String from = replicas.current().name();
        String to = replicas.moveOn().name();
        if (to.equals(from)) {
            return false;
        }
        failovers.get(cause).increment();
        LOG.warn("leaving authority replica {} ({}); resuming on {} from sequence {}", from,
                cause.name().toLowerCase(Locale.ROOT), to, state.appliedSequence());
        return true;
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
