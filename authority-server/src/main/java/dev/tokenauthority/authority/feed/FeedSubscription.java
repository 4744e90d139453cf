package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.keys.SigningKeys;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One subscriber's stream: a snapshot when it has no usable position, the entries after its
 * position otherwise, then live entries in sequence order, and heartbeats while idle.
 *
 * <p>The subscriber listens before it reads its starting point, so nothing published meanwhile
 * is lost; what arrives twice is dropped by sequence. A hole in the live sequence (a batch that
 * was being broadcast while the listener was added, or entries compacted away) is filled from
 * the database before anything after it is sent, so a subscriber never misses an entry.
 *
 * <p>Live entries reach a caught-up subscriber straight from the publishing thread (see
 * {@link LiveStream}); the subscriber's own thread sends the start, fills holes, drains what
 * piled up while the transport was full, and sends heartbeats.
 *
 * <p>A subscriber resumes only from a position the log still holds: the entry at its sequence,
 * with the entry id it saw. Anything else (a log that went back and reused the number, a position
 * beyond the log's end, a restored or replaced database, an entry compacted away) gets a
 * snapshot. Resuming from a held position is safe even after compaction of older entries,
 * because compaction only drops entries that can no longer affect a live token.
 *
 * <p>Except on a replica whose log may lag behind the one the subscriber followed elsewhere (a
 * feed-only replica on a hot standby): there a position beyond the log's end is most likely one the
 * standby has not replayed yet, and a snapshot of the older log would take from the subscriber
 * revocations it has already applied while its freshness, vouched by the other replica, stays as it
 * was. So that subscription is refused ({@link ReplicaBehindException}) and the subscriber tries
 * again, here or on another replica, once the standby has caught up.
 */
public final class FeedSubscription {

    /** How long a subscriber may leave a snapshot's next message unread before it is cut off. */
    static final Duration SNAPSHOT_PART_TIMEOUT = Duration.ofSeconds(60);

    /** Live entries buffered for a subscriber that reads slowly; past this it is cut off and resumes. */
    static final int QUEUE_CAPACITY = 100_000;

    private final RevocationFeed feed;
    private final SigningKeys keys;
    private final Duration heartbeatInterval;
    private final SharedSnapshots sharedSnapshots;
    private final boolean logMayLag;
    private final FeedObserver observer;
    private final AtomicInteger subscribers = new AtomicInteger();

    /**
     * Subscriptions to a replica whose log is the database's own (a primary).
     *
     * @param sharedSnapshots the snapshots shared by subscribers that take the hashed form
     */
    public FeedSubscription(RevocationFeed feed, SigningKeys keys, Duration heartbeatInterval,
            SharedSnapshots sharedSnapshots) {
        this(feed, keys, heartbeatInterval, sharedSnapshots, false, FeedObserver.NONE);
    }

    /**
     * {@code logMayLag}: the log read here may lag behind the one subscribers saw elsewhere (a standby);
     * {@code observer} hears of every message that moves a subscriber's position.
     */
    public FeedSubscription(RevocationFeed feed, SigningKeys keys, Duration heartbeatInterval,
            SharedSnapshots sharedSnapshots, boolean logMayLag, FeedObserver observer) {
        this.feed = feed;
        this.keys = keys;
        this.heartbeatInterval = heartbeatInterval;
        this.sharedSnapshots = sharedSnapshots;
        this.logMayLag = logMayLag;
        this.observer = observer;
    }

    /** Subscribers streaming right now, from their start to their end, snapshot included. */
    public int subscriberCount() {
        return subscribers.get();
    }

    /** The longest access-token lifetime the authority issues, sent with every signing-key set. */
    public Duration maxAccessTokenLifetime() {
        return keys.maxAccessTokenLifetime();
    }

    /** Thrown when a subscriber falls so far behind that its buffer overflowed. */
    public static final class SubscriberTooSlowException extends RuntimeException {
        SubscriberTooSlowException() {
            super("subscriber fell too far behind; resubscribe from the last applied sequence", null, false, false);
        }
    }

    /** Thrown when the log went back under a stream; the subscriber resubscribes and gets a snapshot. */
    public static final class LogRewoundException extends RuntimeException {
        LogRewoundException() {
            super("the revocation log went back; resubscribe from the last applied position", null, false, false);
        }
    }

    /** Thrown when the subscriber's position is beyond the end of a log that may lag; see the class comment. */
    public static final class ReplicaBehindException extends RuntimeException {
        ReplicaBehindException(long position, long head) {
            super("this replica's standby has replayed the revocation log up to " + head + ", behind the position "
                    + position + ": resubscribe later or on another replica", null, false, false);
        }
    }

    /** Thrown from a page of the log when the subscriber went away, to stop reading further pages. */
    private static final class SubscriberGone extends RuntimeException {
        SubscriberGone() {
            super(null, null, false, false);
        }
    }

    /**
     * Streams to {@code sink} until it goes away; runs on the caller's thread. A subscriber that needs a snapshot gets
     * the shared one if it takes the hashed form ({@code sharedSnapshot}), else one read and encoded for it alone.
     */
    public void stream(Position after, boolean sharedSnapshot, FeedSink subscriber) throws InterruptedException {
        FeedSink sink = new ObservedSink(subscriber, feed, observer);
        LiveStream live = new LiveStream(sink, QUEUE_CAPACITY);
        subscribers.incrementAndGet();
        feed.addListener(live);
        try {
            // The committed end of the log, not the tailer's position: a snapshot then includes
            // what was committed a moment ago; live copies of those entries are dropped by sequence.
            // Its read time is taken before the head is read: at that moment the log ended at or
            // before the head, which is what a snapshot's generated_at vouches for.
            RevocationFeed.Head read = feed.readHead();
            Instant asOf = read.asOf();
            Position head = read.position();
            if (logMayLag && after.sequence() > head.sequence()) {
                throw new ReplicaBehindException(after.sequence(), head.sequence());
            }
            boolean resumable = after.sequence() > 0 && after.sequence() <= head.sequence() && feed.holds(after);
            long sent;
            if (resumable) {
                sent = sendRange(after.sequence(), head.sequence(), sink);
            } else if (sharedSnapshot) {
                sent = sendSharedSnapshot(head, sink);
            } else {
                sent = sendSnapshot(head, asOf, sink);
            }
            live.caughtUpTo(sent);
            if (!resumable && sharedSnapshot) {
                // The snapshot's generated_at is the shared part's, up to REUSE old: say at once how fresh it is.
                live.heartbeat(feed.vouch(), feed.clock().instant());
            }
            streamLive(live, sink);
        } catch (SubscriberGone gone) {
            // nothing more to send to anyone
        } finally {
            feed.removeListener(live);
            subscribers.decrementAndGet();
        }
    }

    /**
     * Sends the shared snapshot extended, inside the same snapshot, with the log's entries after it up to
     * {@code head} (in full, in log order, key sets included), and ends the snapshot at the last of them. So the
     * subscriber swaps its state once, for one at least as new as the log's end when it subscribed: never for the
     * older shared one, which could lack revocations it already had. Returns the sequence the snapshot ends at.
     */
    private long sendSharedSnapshot(Position head, FeedSink sink) throws InterruptedException {
        SnapshotEncoder.EncodedSnapshot shared = sharedSnapshots.current(heartbeatInterval, () -> {
            try {
                if (!sink.awaitReady()) {
                    throw new SubscriberGone();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SubscriberGone();
            }
        });
        for (int part = 0; part < shared.parts() - 1; part++) {
            awaitReadyWithin(SNAPSHOT_PART_TIMEOUT, sink);
            sink.snapshotPart(shared, part);
        }
        Position[] end = {shared.position()};
        long[] count = {shared.entryCount()};
        sendPages(pages -> feed.read(shared.position().sequence(), head.sequence(), pages), rows -> {
            awaitReadyWithin(SNAPSHOT_PART_TIMEOUT, sink);
            sink.snapshotEntries(rows);
            count[0] += rows.size();
            LogRow last = rows.get(rows.size() - 1);
            end[0] = new Position(last.sequence(), last.entryId());
        });
        sink.snapshotEnd(end[0], count[0]);
        return end[0].sequence();
    }

    /**
     * Waits for the subscriber to take more of a snapshot, for at most {@code limit}: one that stops reading is cut off
     * (it resubscribes later) rather than keep a shared snapshot in memory for as long as it likes.
     */
    private static void awaitReadyWithin(Duration limit, FeedSink sink) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!sink.isReady()) {
            if (System.nanoTime() - deadline > 0) {
                throw new SubscriberTooSlowException();
            }
            if (!sink.awaitReady(Duration.ofMillis(100))) {
                throw new SubscriberGone();
            }
        }
    }

    private long sendSnapshot(Position head, Instant now, FeedSink sink) throws InterruptedException {
        long sequence = head.sequence();
        // The snapshot leaves key-set entries out and sends the set itself, so the set must be at
        // least as new as the head: this replica may not have published (and reloaded) a key
        // change another replica committed before the head, and the live copy of that entry is
        // dropped as already covered. Read after the head, the set reflects every change up to it.
        keys.reload();
        sink.snapshotBegin(sequence, now, keys.jwksJson());
        long[] count = {0};
        sendPages(pages -> SharedSnapshots.forEachPage(feed, sequence, now, pages), live -> {
            if (!sink.awaitReady()) {
                throw new SubscriberGone();
            }
            sink.snapshotEntries(live);
            count[0] += live.size();
        });
        sink.snapshotEnd(head, count[0]);
        return sequence;
    }

    /** Sends the entries after {@code after} up to {@code upTo} from the log; returns the last sequence sent. */
    private long sendRange(long after, long upTo, FeedSink sink) throws InterruptedException {
        long[] last = {after};
        sendPages(pages -> feed.read(after, upTo, pages), rows -> {
            for (int from = 0; from < rows.size(); from += FeedSink.EVENTS_PER_MESSAGE) {
                List<LogRow> part = rows.subList(from, Math.min(rows.size(), from + FeedSink.EVENTS_PER_MESSAGE));
                if (!sink.awaitReady()) {
                    throw new SubscriberGone();
                }
                sink.events(part, last[0]);
                last[0] = part.get(part.size() - 1).sequence();
            }
        });
        return last[0];
    }

    /** Sends one page of log rows; waiting for the subscriber, it may be interrupted. */
    @FunctionalInterface
    private interface PageSender {
        void send(List<LogRow> page) throws InterruptedException;
    }

    /**
     * Runs {@code read} (a read of the log in pages, which takes a plain consumer) with each page sent by
     * {@code sender}; an interruption skips the pages left and is thrown once the read has returned.
     */
    private static void sendPages(Consumer<Consumer<List<LogRow>>> read, PageSender sender)
            throws InterruptedException {
        InterruptedException[] interrupted = {null};
        read.accept(page -> {
            if (interrupted[0] == null) {
                try {
                    sender.send(page);
                } catch (InterruptedException e) {
                    interrupted[0] = e;
                }
            }
        });
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
    }

    private void streamLive(LiveStream live, FeedSink sink) throws InterruptedException {
        while (sink.awaitReady()) {
            LiveStream.Next next = live.next(heartbeatInterval);
            switch (next.step()) {
                case IDLE -> live.heartbeat(feed.vouch(), feed.clock().instant());
                case HOLE -> live.holeFilled(sendRange(next.after(), next.before().sequence() - 1, sink), next.before());
                case SENT -> { }
            }
        }
    }
}
