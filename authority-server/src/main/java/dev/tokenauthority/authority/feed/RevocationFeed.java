package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.storage.RevocationLogDao;
import dev.tokenauthority.authority.storage.RevocationLogDao.LogRow;
import dev.tokenauthority.authority.storage.Transactor;
import java.time.Clock;
import java.time.Duration;
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
 * <p>One thread per authority process reads the log, however many sidecars subscribe. It wakes
 * when an append commits here ({@link #wake()}), when another replica's append commits
 * (PostgreSQL NOTIFY, see {@link PostgresWakeUp}), and otherwise every poll interval, the safety
 * net that bounds propagation even if a notification is lost.
 *
 * <p>No entry is ever skipped: appends take their sequence under a row lock held until commit
 * (see {@code RevocationLog}), so when sequence n is visible every sequence below it is too, and
 * reading "everything after the last published sequence, in order" is complete.
 */
public final class RevocationFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationFeed.class);
    /** Entries read per query; a burst larger than this is published in several rounds. */
    static final int BATCH = 1000;

    private final Transactor transactor;
    private final Duration pollInterval;
    private final Clock clock;
    private final List<Consumer<List<LogRow>>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean pending;
    private volatile long published;
    private volatile boolean running;
    private Thread thread;

    public RevocationFeed(Transactor transactor, Duration pollInterval, Clock clock) {
        this.transactor = transactor;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    public void start() {
        published = transactor.read(h -> h.attach(RevocationLogDao.class).lastSequence());
        running = true;
        thread = new Thread(this::run, "revocation-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** The highest sequence committed to the log, which may be ahead of what has been published. */
    public long committedSequence() {
        return transactor.read(h -> h.attach(RevocationLogDao.class).lastSequence());
    }

    /** The highest sequence handed to listeners; every entry up to it has been published. */
    public long publishedSequence() {
        return published;
    }

    public Clock clock() {
        return clock;
    }

    /** Asks the tailer to read the log now. */
    public void wake() {
        lock.lock();
        try {
            pending = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Registers a listener for every entry published from now on; it must not block. */
    public void addListener(Consumer<List<LogRow>> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<List<LogRow>> listener) {
        listeners.remove(listener);
    }

    /** Reads the log in pages of entries with after &lt; sequence &lt;= upTo, in order. */
    public void read(long after, long upTo, Consumer<List<LogRow>> page) {
        long cursor = after;
        while (cursor < upTo) {
            long from = cursor;
            List<LogRow> rows = transactor.read(h -> h.attach(RevocationLogDao.class).findBetween(from, upTo, BATCH));
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
        while (true) {
            long after = published;
            List<LogRow> rows = transactor.read(h -> h.attach(RevocationLogDao.class).findAfter(after, BATCH));
            if (rows.isEmpty()) {
                return;
            }
            for (Consumer<List<LogRow>> listener : listeners) {
                listener.accept(rows);
            }
            published = rows.get(rows.size() - 1).sequence();
            if (rows.size() < BATCH) {
                return;
            }
        }
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
