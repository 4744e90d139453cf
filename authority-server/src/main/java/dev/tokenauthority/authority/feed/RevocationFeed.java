package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.storage.PostgresWakeUp;
import dev.tokenauthority.authority.token.RevocationLog;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the revocation log and fans new entries out to this process's subscribers.
 *
 * <p>New entries are handed to every subscriber at once, however many subscribe, and by one
 * thread at a time, right on the thread that learns of them: when an append commits here, the
 * committing thread publishes the entries it wrote ({@link #committed}), without reading them
 * back; when another replica's append commits (PostgreSQL NOTIFY, see {@link PostgresWakeUp}),
 * the listening thread reads and publishes them ({@link #wake()}). Only when that cannot be done
 * in order at once (another publish is under way, or an earlier commit has not been published
 * yet), and otherwise every poll interval as the safety net that bounds propagation even if a
 * notification is lost, does the tailer thread read the log and publish. Publishing on the
 * thread that learned of the entries saves a thread hand-off per revocation, which on a busy
 * machine costs milliseconds of waiting for a core; the cost to the appending admin call is
 * handing each caught-up subscriber its entries (see {@code LiveStream}), which never blocks.
 *
 * <p>No entry is ever skipped: appends take their sequence under a row lock held until commit
 * (see {@code RevocationLog}), so when sequence n is visible every sequence below it is too, and
 * reading "everything after the last published sequence, in order" is complete.
 *
 * <p>The log can go back under a running authority: a database restored from a backup, a
 * failover to a replica that was behind. Then new entries reuse sequence numbers already
 * published, and "after the last published sequence" would skip them. So every read of the log
 * starts at the last published entry and checks that the log still holds it with the same
 * entry id; when it does not, the feed starts over from the log's current end and tells every
 * listener ({@link FeedListener#logRewound}), whose subscribers then resubscribe and, their
 * positions no longer being in the log, get snapshots.
 *
 * <p>What a replica may vouch for is only what it has read ({@link #vouch()}): the end of the log
 * as of its last successful read, with the time that read began. A replica that cannot reach
 * the database keeps its streams open, but its vouch stops advancing and its subscribers go
 * stale, rather than look fresh while another replica commits revocations they never see. That
 * time is the {@link LogReadTime}'s: the clock on a primary; on a hot standby, which shows the
 * primary as of the last commit it replayed, the primary's last beat it replayed.
 */
public final class RevocationFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationFeed.class);
    /** Entries read per query; a burst larger than this is published in several rounds. */
    static final int BATCH = 1000;

    private final Transactions transactor;
    private final Duration pollInterval;
    private final Clock clock;
    private final LogReadTime readTime;
    private final List<FeedListener> listeners = new CopyOnWriteArrayList<>();
    /** Held while reading and handing out new entries, so they go out once and in order. */
    private final ReentrantLock publishing = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean pending;
    /** The last entry handed to listeners; every entry up to it has been published. */
    private volatile Position published = Position.START;
    private volatile Vouch vouch;
    /** When, by this replica's clock, {@link #vouch}'s read time last moved: how long its database has stood still. */
    private volatile Instant vouchMovedAt;
    private volatile boolean running;
    private Thread thread;

    /** A feed on a primary: a read of the log vouches for the moment it began on {@code clock}. */
    public RevocationFeed(Transactions transactor, Duration pollInterval, Clock clock) {
        this(transactor, pollInterval, clock, LogReadTime.clock(clock));
    }

    public RevocationFeed(Transactions transactor, Duration pollInterval, Clock clock, LogReadTime readTime) {
        this.transactor = transactor;
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.readTime = readTime;
    }

    /**
     * The end of the log as this replica last read it, and when that read began: a subscriber that
     * has every entry up to {@code sequence} was in sync at {@code logReadAt}.
     */
    public record Vouch(long sequence, Instant logReadAt) {
    }

    /** The committed end of the log, and the moment a subscriber holding every entry up to it is in sync as of. */
    public record Head(Position position, Instant asOf) {
    }

    public void start() {
        Head head = readHead();
        published = head.position();
        vouch = new Vouch(published.sequence(), head.asOf());
        vouchMovedAt = clock.instant();
        running = true;
        thread = new Thread(this::run, "revocation-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** The end of the committed log, which may be ahead of what has been published. */
    public Position head() {
        return transactor.read(tx -> tx.store(RevocationLogStore.class).head());
    }

    /** The end of the committed log with its {@link LogReadTime}, read after that time was taken. */
    public Head readHead() {
        return transactor.read(tx -> {
            Instant asOf = readTime.before(tx);
            return new Head(tx.store(RevocationLogStore.class).head(), asOf);
        });
    }

    /** Whether the log holds the entry at {@code position} with the same id (never for an unknown id, 0). */
    public boolean holds(Position position) {
        return position.entryId() != 0 && transactor.read(tx -> tx.store(RevocationLogStore.class)
                .entryIdAt(position.sequence())).filter(id -> id == position.entryId()).isPresent();
    }

    /** The highest sequence handed to listeners; every entry up to it has been published. */
    public long publishedSequence() {
        return published.sequence();
    }

    /** What this replica may vouch for to its subscribers; see {@link Vouch}. */
    public Vouch vouch() {
        return vouch;
    }

    /**
     * When, by this replica's own clock, the vouch's read time last moved. On a feed-only replica
     * the read time is the primary's beat as its standby replayed it, so this says how long the
     * standby has stood still, whatever the skew between the two clocks.
     */
    public Instant vouchMovedAt() {
        return vouchMovedAt;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Entries this process has just committed, in sequence order. Published here when they follow
     * what was published last; otherwise, or if another publish is under way (it may have read
     * the log before this commit), the tailer reads and publishes them. Never reads the log
     * itself: the caller still holds its transaction's connection, and waiting for a second one
     * could exhaust the pool.
     */
    public void committed(List<LogRow> rows) {
        if (running && publishing.tryLock()) {
            try {
                long first = rows.get(0).sequence();
                if (first <= published.sequence()) {
                    return; // a read of the log got here first
                }
                if (first == published.sequence() + 1) {
                    publish(rows);
                    return;
                }
            } finally {
                publishing.unlock();
            }
        }
        wakeTailer();
    }

    /**
     * Publishes what has been committed, reading the log on this thread if no other publish is
     * under way, else by asking the tailer. Never throws: the tailer retries a failed read.
     */
    public void wake() {
        if (running && publishing.tryLock()) {
            try {
                if (publishPage()) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("reading the revocation log failed, the tailer retries: {}", e.getMessage());
            } finally {
                publishing.unlock();
            }
        }
        wakeTailer();
    }

    private void wakeTailer() {
        lock.lock();
        try {
            pending = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Registers a listener for every entry published from now on; it must not block or throw. */
    public void addListener(FeedListener listener) {
        listeners.add(listener);
    }

    public void removeListener(FeedListener listener) {
        listeners.remove(listener);
    }

    /** Reads the log in pages of entries with after &lt; sequence &lt;= upTo, in order. */
    public void read(long after, long upTo, Consumer<List<LogRow>> page) {
        long cursor = after;
        while (cursor < upTo) {
            long from = cursor;
            List<LogRow> rows = transactor.read(tx -> tx.store(RevocationLogStore.class).findBetween(from, upTo, BATCH));
            if (rows.isEmpty()) {
                return;
            }
            page.accept(rows);
            cursor = rows.get(rows.size() - 1).sequence();
        }
    }

    private void run() {
        while (running) {
            awaitWakeUp();
            try {
                publishNewEntries();
            } catch (RuntimeException e) {
                LOG.warn("reading the revocation log failed, retrying: {}", e.getMessage());
            }
        }
    }

    private void awaitWakeUp() {
        lock.lock();
        try {
            if (!pending) {
                wakeUp.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
            }
            pending = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void publishNewEntries() {
        publishing.lock();
        try {
            while (!publishPage()) {
                // a full page: there may be more
            }
        } finally {
            publishing.unlock();
        }
    }

    /**
     * Publishes up to one page of new entries; true when that was all of them. The page starts at
     * the last published entry, which must still be there with the same id: otherwise the log
     * went back. Holds {@link #publishing}.
     */
    private boolean publishPage() {
        Position from = published;
        Page page = transactor.read(tx -> {
            Instant readAt = readTime.before(tx);
            return new Page(readAt, tx.store(RevocationLogStore.class).findFrom(from.sequence(), BATCH + 1));
        });
        Instant readAt = page.readAt();
        List<LogRow> rows = page.rows();
        boolean complete = rows.size() <= BATCH;
        if (from.sequence() > 0) {
            if (rows.isEmpty() || !isEntryAt(rows.get(0), from)) {
                rewind(from);
                return true;
            }
            rows = rows.subList(1, rows.size());
        } else if (!complete) {
            rows = rows.subList(0, BATCH);
        }
        if (!rows.isEmpty()) {
            publish(rows);
        }
        if (complete) {
            if (!readAt.equals(vouch.logReadAt())) {
                vouchMovedAt = clock.instant();
            }
            vouch = new Vouch(published.sequence(), readAt);
        }
        return complete;
    }

    /** Entries read from the log, and the moment the read vouches for. */
    private record Page(Instant readAt, List<LogRow> rows) {
    }

    /** Entry id 0 is an entry written before ids existed: it cannot be checked, so it is taken as the same. */
    private static boolean isEntryAt(LogRow row, Position position) {
        return row.sequence() == position.sequence() && (position.entryId() == 0 || row.entryId() == position.entryId());
    }

    /**
     * The log no longer holds the last published entry: it went back (or, in theory, that entry
     * was compacted while publishing was stuck for longer than an entry's whole retention; the
     * cost is the same resynchronisation). Starts over from the log's end and tells the listeners.
     */
    private void rewind(Position lost) {
        Position head = head();
        LOG.error("the revocation log went back: it no longer holds entry {} (id {}) and ends at {}; "
                + "every subscriber resynchronises", lost.sequence(), lost.entryId(), head.sequence());
        published = head;
        for (FeedListener listener : listeners) {
            listener.logRewound();
        }
    }

    /** Hands entries that follow {@link #published} to every listener. Holds {@link #publishing}. */
    private void publish(List<LogRow> rows) {
        for (FeedListener listener : listeners) {
            listener.accept(rows);
        }
        LogRow last = rows.get(rows.size() - 1);
        published = new Position(last.sequence(), last.entryId());
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
