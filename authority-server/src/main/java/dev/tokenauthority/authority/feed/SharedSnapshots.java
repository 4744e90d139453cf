package dev.tokenauthority.authority.feed;

import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.authority.feed.SnapshotEncoder.EncodedSnapshot;
import dev.tokenauthority.authority.keys.SigningKeys;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots read and encoded once, and shared by every subscriber that needs one.
 *
 * <p>Why: when a replica restarts under a thousand sidecars, the ones whose position the log no longer holds all ask
 * for a snapshot within a second or two. Reading a million-entry log and encoding it once per subscriber would cost a
 * thousand table scans and a thousand copies in memory; here the first subscriber to ask starts one build, every
 * other one that asks meanwhile waits for that same build, and the finished snapshot (immutable) is handed to each
 * of them. It stays in use for {@link #REUSE} after it was finished, as long as the log still holds its position.
 * {@code FeedSubscription} extends an older one with the log's entries after it, inside the same snapshot, so a
 * subscriber never swaps its state for one older than the log's end when it subscribed.
 *
 * <p>Bounds: at most one snapshot is kept here, and a build that has run for {@link #BUILD_TIMEOUT} no longer holds
 * new subscribers back (they start another). A subscriber that stops reading while a snapshot is sent to it is cut off
 * (see {@code FeedSubscription}), so it cannot keep old snapshots alive.
 */
public final class SharedSnapshots {

    /** How long after it was finished a snapshot is still handed out. */
    static final Duration REUSE = Duration.ofSeconds(30);
    /** A build running longer than this (a database that hangs) is not waited for by new subscribers. */
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(SharedSnapshots.class);

    private final RevocationFeed feed;
    private final SigningKeys keys;
    private final SnapshotEncoder encoder;
    private final AtomicLong encoded = new AtomicLong();
    private final AtomicLong handedOut = new AtomicLong();
    private volatile long lastBytes;
    /** The latest build, finished or running; null before the first. Guarded by this. */
    private Build latest;

    public SharedSnapshots(RevocationFeed feed, SigningKeys keys, SnapshotEncoder encoder) {
        this.feed = feed;
        this.keys = keys;
        this.encoder = encoder;
    }

    /** One build: its result, when it started and (once done) when it finished, on the feed's clock. */
    private static final class Build {
        final CompletableFuture<EncodedSnapshot> result = new CompletableFuture<>();
        final Instant startedAt;
        volatile Instant finishedAt;

        Build(Instant startedAt) {
            this.startedAt = startedAt;
        }
    }

    /** Snapshots built (read from the log and encoded) so far. */
    public long encodedCount() {
        return encoded.get();
    }

    /** Snapshots handed to subscribers so far; their ratio to {@link #encodedCount()} is the sharing. */
    public long handedOutCount() {
        return handedOut.get();
    }

    /** The size of the last snapshot built, in bytes on the wire. */
    public long lastBytes() {
        return lastBytes;
    }

    /**
     * A snapshot of the log as of a recent moment, whose position the log holds now: the latest one if it is still
     * usable, else one built now (or being built by another subscriber, which this one waits for). While waiting it
     * calls {@code whileWaiting} every {@code interval}, so the caller can give up (by throwing) when its subscriber
     * has gone. Nothing is sent meanwhile: a heartbeat before the snapshot would vouch for the state the subscriber is
     * about to replace. A sidecar that gives up on the silence and comes back finds the finished build, reused for
     * {@link #REUSE} after it finished.
     */
    public EncodedSnapshot current(Duration interval, Runnable whileWaiting) throws InterruptedException {
        while (true) {
            Build candidate;
            boolean mine;
            synchronized (this) {
                mine = latest == null || unusable(latest);
                if (mine) {
                    latest = new Build(feed.clock().instant());
                }
                candidate = latest;
            }
            if (mine) {
                build(candidate);
            }
            EncodedSnapshot snapshot = await(candidate, interval, whileWaiting);
            // A snapshot built for this call is as current as a fresh read; an older one must still be in the log
            // (its position's entry id says so; an entry from before ids existed, 0, cannot be checked).
            Position position = snapshot.position();
            if (mine || position.sequence() == 0 || feed.holds(position)) {
                handedOut.incrementAndGet();
                return snapshot;
            }
            synchronized (this) { // the log went back past it, or it cannot be checked: build another
                if (latest == candidate) {
                    latest = null;
                }
            }
        }
    }

    private boolean unusable(Build build) {
        Instant now = feed.clock().instant();
        if (!build.result.isDone()) {
            return now.isAfter(build.startedAt.plus(BUILD_TIMEOUT));
        }
        return build.result.isCompletedExceptionally() || now.isAfter(build.finishedAt.plus(REUSE));
    }

    private static EncodedSnapshot await(Build build, Duration interval, Runnable whileWaiting)
            throws InterruptedException {
        while (true) {
            try {
                return build.result.get(interval.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                whileWaiting.run();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    private void build(Build build) {
        try {
            long started = System.nanoTime();
            // Its read time is taken before the head is read: at that moment the log ended at or before the head.
            RevocationFeed.Head read = feed.readHead();
            Instant asOf = read.asOf();
            Position head = read.position();
            // Read after the head, the key set reflects every change up to it (see FeedSubscription).
            keys.reload();
            SnapshotEncoder.Encoding encoding = encoder.start(head.sequence(), asOf, keys.jwksJson());
            forEachPage(feed, head.sequence(), asOf, encoding::add);
            EncodedSnapshot snapshot = encoding.finish(head);
            encoded.incrementAndGet();
            lastBytes = snapshot.bytes();
            LOG.info("snapshot at sequence {} built for sharing: {} entries, {} bytes, {} ms", head.sequence(),
                    snapshot.entryCount(), snapshot.bytes(), (System.nanoTime() - started) / 1_000_000);
            build.finishedAt = feed.clock().instant();
            build.result.complete(snapshot);
        } catch (RuntimeException | Error e) {
            build.finishedAt = feed.clock().instant();
            build.result.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Hands {@code page} the log's entries up to {@code sequence} that belong in a snapshot taken at {@code now}: those
     * the authority still keeps, without key-set entries (a snapshot sends the set itself).
     */
    static void forEachPage(RevocationFeed feed, long sequence, Instant now, Consumer<List<LogRow>> page) {
        feed.read(0, sequence, rows -> {
            List<LogRow> kept = new ArrayList<>(rows.size());
            for (LogRow row : rows) {
                if (RevocationRetention.keptByAuthority(row.expiresAt(), now)
                        && !RevocationKind.SIGNING_KEYS.name().equals(row.kind())) {
                    kept.add(row);
                }
            }
            if (!kept.isEmpty()) {
                page.accept(kept);
            }
        });
    }
}
