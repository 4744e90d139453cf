package dev.tokenauthority.sidecar.feed;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import dev.tokenauthority.api.IdHasher;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.HashedEntries;
import dev.tokenauthority.api.v1.SnapshotBegin;
import dev.tokenauthority.sidecar.feed.FeedApplier.MissedEventException;
import dev.tokenauthority.sidecar.state.RevocationSnapshotBuilder;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * One subscription's messages, applied as they arrive, on the transport thread that delivers them (see
 * {@link FeedClient} for why): snapshots are assembled and applied whole at their end, events and heartbeats at once,
 * all through the client's {@link FeedApplier}. It also keeps when the stream last vouched for something newer, which
 * the client watches to leave a replica that fell silent.
 *
 * <p>{@link #end} completes when the stream ends, exceptionally when it broke: a {@link MissedEventException}, a
 * {@link PoisonMessageException}, the client abandoning it, or the stream's error.
 */
final class FeedStream implements StreamObserver<FeedMessage> {

    final CompletableFuture<Void> end = new CompletableFuture<>();
    private final Context.CancellableContext context;
    private final String replica;
    private final FeedApplier applier;
    /** The client's lock, held while a message is applied and while a stream is abandoned. */
    private final Object applyLock;
    private final BooleanSupplier clientRunning;
    private final Clock clock;
    /** Reports what this stream applied to its replica. */
    private final FeedAcknowledger acknowledger;
    /** Run once, at the first message: the stream is up. */
    private Runnable onFirstMessage;
    /** Whether any message arrived: a stream that was answered and then cut is not a set-up mistake. */
    private volatile boolean answered;
    private RevocationSnapshotBuilder snapshot;
    private long snapshotTakenAtMillis;
    /** When (this sidecar's clock) the stream last vouched for something newer; its start at first. */
    private volatile long lastVouchedAtMillis;
    /** The latest moment (the authority's clock) this stream vouched for. */
    private long vouchedAsOfMillis;

    FeedStream(Context.CancellableContext context, String replica, FeedApplier applier, Object applyLock,
            BooleanSupplier clientRunning, Clock clock, Runnable onFirstMessage, FeedAcknowledger acknowledger) {
        this.context = context;
        this.acknowledger = acknowledger;
        this.onFirstMessage = onFirstMessage;
        this.replica = replica;
        this.applier = applier;
        this.applyLock = applyLock;
        this.clientRunning = clientRunning;
        this.clock = clock;
        this.lastVouchedAtMillis = clock.millis();
    }

    /** Signals a message the state cannot take; the client resubscribes for a snapshot, after a backoff. */
    static final class PoisonMessageException extends RuntimeException {
        PoisonMessageException(String what, IllegalArgumentException cause) {
            super("cannot apply " + what + ": " + cause.getMessage(), cause, false, false);
        }
    }

    /** When (this sidecar's clock) the stream last vouched for something newer. */
    long lastVouchedAtMillis() {
        return lastVouchedAtMillis;
    }

    /**
     * Counts the stream's silence from {@code millis} at the earliest, for when this sidecar was paused, not the
     * replica: what the replica sent meanwhile waits in the socket.
     */
    void countSilenceFrom(long millis) {
        lastVouchedAtMillis = Math.max(lastVouchedAtMillis, millis);
    }

    @Override
    public void onNext(FeedMessage message) {
        synchronized (applyLock) {
            if (end.isDone() || !clientRunning.getAsBoolean()) {
                return; // cancelled or abandoned; messages already in flight are dropped
            }
            if (onFirstMessage != null) {
                answered = true;
                onFirstMessage.run();
                onFirstMessage = null;
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

    /** Whether the authority answered this stream at all (a message arrived). */
    boolean answered() {
        return answered;
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
                snapshot = snapshotBuilder(message.getSnapshotBegin());
                snapshotTakenAtMillis = Timestamps.toMillis(message.getSnapshotBegin().getGeneratedAt());
                lastVouchedAtMillis = clock.millis(); // a large snapshot takes a while: it is work, not silence
            }
            case SNAPSHOT_CHUNK -> {
                snapshot.addAll(message.getSnapshotChunk().getEntriesList());
                if (!message.getSnapshotChunk().getHashedEntries().isEmpty()) {
                    snapshot.addHashed(hashedEntries(message.getSnapshotChunk().getHashedEntries()));
                }
                lastVouchedAtMillis = clock.millis();
            }
            case SNAPSHOT_END -> {
                applier.applySnapshot(snapshot, message.getSnapshotEnd(), snapshotTakenAtMillis, replica);
                snapshot = null;
                progress(snapshotTakenAtMillis);
                acknowledger.opened(message.getSnapshotEnd().getAcknowledgementToken());
                acknowledger.applied(false);
            }
            case EVENT -> {
                applier.apply(message.getEvent());
                progress(Timestamps.toMillis(message.getEvent().getRecordedAt()));
                acknowledger.applied(false);
            }
            case EVENTS -> {
                message.getEvents().getEventsList().forEach(event -> {
                    applier.apply(event);
                    progress(Timestamps.toMillis(event.getRecordedAt()));
                });
                acknowledger.applied(false);
            }
            case HEARTBEAT -> {
                progress(Timestamps.toMillis(message.getHeartbeat().getLogReadAt()));
                applier.heartbeat(message.getHeartbeat());
                acknowledger.opened(message.getHeartbeat().getAcknowledgementToken());
                acknowledger.applied(true);
            }
            default -> { }
        }
    }

    /**
     * A hashed snapshot (with an id hash key) builds tables under its key, once the check value proves this sidecar
     * hashes as the authority does; a full one builds them under a random key.
     */
    private static RevocationSnapshotBuilder snapshotBuilder(SnapshotBegin begin) {
        if (begin.getIdHashKey().isEmpty()) {
            return new RevocationSnapshotBuilder(begin.getSequence(), 1024);
        }
        IdHasher hasher = IdHasher.fromKey(begin.getIdHashKey().toByteArray());
        if (hasher.hash(IdHasher.CHECK_ID) != begin.getIdHashCheck()) {
            throw new IllegalArgumentException("the snapshot's id hash check does not match: this sidecar does not "
                    + "hash ids as the authority does");
        }
        return new RevocationSnapshotBuilder(begin.getSequence(), 1024, hasher);
    }

    private static HashedEntries hashedEntries(ByteString bytes) {
        try {
            return HashedEntries.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("snapshot chunk's hashed entries do not parse: " + e.getMessage(), e);
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
