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
 * of them. It stays in use for {@link #REUSE} after it was read, as long as the log still holds its position: a
 * subscriber that gets it is then sent the entries after that position from the log, exactly like one that resumed
 * there, so an older snapshot costs a short range read, never a missed entry. At most one snapshot is kept, plus any
 * older ones still being sent.
 */
public final class SharedSnapshots {

    /** How long after its log was read a snapshot is still handed out. */
    static final Duration REUSE = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(SharedSnapshots.class);

    private final RevocationFeed feed;
    private final SigningKeys keys;
    private final SnapshotEncoder encoder;
    private final AtomicLong encoded = new AtomicLong();
    private final AtomicLong handedOut = new AtomicLong();
    private volatile long lastBytes;
    /** The latest snapshot, finished or being built; null before the first. Guarded by this. */
    private CompletableFuture<EncodedSnapshot> latest;

    public SharedSnapshots(RevocationFeed feed, SigningKeys keys, SnapshotEncoder encoder) {
        this.feed = feed;
        this.keys = keys;
        this.encoder = encoder;
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
     * usable, else one built now (or being built by another subscriber, which this one waits for).
     */
    public EncodedSnapshot current() throws InterruptedException {
        while (true) {
            CompletableFuture<EncodedSnapshot> candidate;
            boolean build;
            synchronized (this) {
                build = latest == null || expired(latest);
                if (build) {
                    latest = new CompletableFuture<>();
                }
                candidate = latest;
            }
            if (build) {
                build(candidate);
            }
            EncodedSnapshot snapshot = await(candidate);
            if (snapshot.position().sequence() == 0 || feed.holds(snapshot.position())) {
                handedOut.incrementAndGet();
                return snapshot;
            }
            synchronized (this) { // the log went back past it: build another
                if (latest == candidate) {
                    latest = null;
                }
            }
        }
    }

    private boolean expired(CompletableFuture<EncodedSnapshot> snapshot) {
        return snapshot.isDone() && (snapshot.isCompletedExceptionally()
                || feed.clock().instant().isAfter(snapshot.join().generatedAt().plus(REUSE)));
    }

    private static EncodedSnapshot await(CompletableFuture<EncodedSnapshot> snapshot) throws InterruptedException {
        try {
            return snapshot.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void build(CompletableFuture<EncodedSnapshot> result) {
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
            result.complete(snapshot);
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
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
