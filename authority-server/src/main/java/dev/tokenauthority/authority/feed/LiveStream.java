package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live part of one subscription, shared by the thread that publishes new log entries (this is
 * its listener) and the subscriber's own thread.
 *
 * <p>Why two writers: handing every entry to the subscriber's thread put one thread wake-up per
 * subscriber on the propagation path, and on a busy machine each wake-up waits milliseconds for
 * a core. So when the subscriber is caught up (its thread is not sending the start or filling a
 * hole, nothing is queued, the entry is the next sequence and the transport has room), the
 * publishing thread writes the entry itself; writing only hands it to the transport, it never
 * blocks. Anything else is queued for the subscriber's thread, which sends it in order, fills
 * holes from the log and waits for the transport. One lock orders every live write, so the
 * subscriber sees sequences strictly in order whichever thread wrote them.
 *
 * <p>Both writers send runs of consecutive entries as one message (up to
 * {@link FeedSink#EVENTS_PER_MESSAGE}): a bulk revocation of thousands of sessions is a handful
 * of messages, not one per session.
 */
final class LiveStream implements FeedListener {

    /** What the subscriber's thread is to do after {@link #next}. */
    enum Step {
        /** Everything queued was sent, or the transport is full: wait until it can take more. */
        SENT,
        /** Nothing was sent for a heartbeat interval: send a heartbeat. */
        IDLE,
        /** The next queued entry does not follow the last one sent: send the entries between from the log. */
        HOLE
    }

    /** The result of {@link #next}; for {@link Step#HOLE}, the missing range is after &lt; sequence &lt; before. */
    record Next(Step step, long after, LogRow before) {
        static final Next SENT = new Next(Step.SENT, 0, null);
        static final Next IDLE = new Next(Step.IDLE, 0, null);
    }

    private final FeedSink sink;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queuedOrOverflowed = lock.newCondition();
    private final ArrayDeque<LogRow> queue = new ArrayDeque<>();
    private boolean overflowed;
    /** The log went back under this stream: what it sent may no longer be the log's history. */
    private boolean rewound;
    /** Whether the publishing thread may write: false until the start is sent and while a hole is filled. */
    private boolean caughtUp;
    /** The last sequence sent; meaningful once caught up. */
    private long last;
    private long lastSentNanos = System.nanoTime();

    LiveStream(FeedSink sink, int capacity) {
        this.sink = sink;
        this.capacity = capacity;
    }

    /** New entries, in order, from the publishing thread. */
    @Override
    public void accept(List<LogRow> rows) {
        lock.lock();
        try {
            int from = 0;
            if (rewound) {
                return;
            }
            while (from < rows.size() && caughtUp && queue.isEmpty()) {
                int taken = sendDirectly(rows, from);
                if (taken == 0) {
                    break;
                }
                from += taken;
            }
            for (LogRow row : rows.subList(from, rows.size())) {
                enqueue(row);
            }
            if (!queue.isEmpty() || overflowed) {
                queuedOrOverflowed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void logRewound() {
        lock.lock();
        try {
            rewound = true;
            caughtUp = false;
            queue.clear();
            queuedOrOverflowed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends the run of rows from {@code from} that follows the last sequence sent, if the transport
     * has room; returns how many rows it took (sent, or already sent from the log), 0 for none.
     */
    private int sendDirectly(List<LogRow> rows, int from) {
        int start = from;
        while (start < rows.size() && rows.get(start).sequence() <= last) {
            start++; // already sent from the log
        }
        if (start == rows.size() || rows.get(start).sequence() != last + 1 || !sink.isReady()) {
            return start - from;
        }
        int end = start + 1;
        while (end < rows.size() && end - start < FeedSink.EVENTS_PER_MESSAGE
                && rows.get(end).sequence() == rows.get(end - 1).sequence() + 1) {
            end++;
        }
        try {
            send(rows.subList(start, end));
            return end - from;
        } catch (RuntimeException e) {
            // The stream broke under us; the subscriber's thread meets the same error and ends it.
            caughtUp = false;
            return start - from;
        }
    }

    private void enqueue(LogRow row) {
        if (overflowed) {
            return;
        }
        if (queue.size() >= capacity) {
            overflowed = true;
            queue.clear();
            return;
        }
        queue.add(row);
    }

    private void send(List<LogRow> run) {
        sink.events(run, last);
        last = run.get(run.size() - 1).sequence();
        lastSentNanos = System.nanoTime();
    }

    /** The subscriber's thread has sent everything up to {@code sequence}: live entries may follow. */
    void caughtUpTo(long sequence) {
        lock.lock();
        try {
            last = sequence;
            caughtUp = true;
            lastSentNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a hole was filled from the log up to {@code filled}: sends the entry that was waiting
     * behind it (entries compacted away leave a hole the log cannot fill; the entry still follows).
     */
    void holeFilled(long filled, LogRow waiting) {
        lock.lock();
        try {
            last = filled;
            if (waiting.sequence() > last) {
                send(List.of(waiting));
            }
            caughtUp = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the subscriber's thread: sends what is queued, in order, as far as the transport takes it;
     * with nothing queued, waits up to {@code heartbeat} since the last write for an entry.
     */
    Next next(Duration heartbeat) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty() && !overflowed && !rewound) {
                long idle = lastSentNanos + heartbeat.toNanos() - System.nanoTime();
                if (idle <= 0) {
                    return Next.IDLE;
                }
                queuedOrOverflowed.awaitNanos(idle);
            }
            if (rewound) {
                throw new FeedSubscription.LogRewoundException();
            }
            if (overflowed) {
                throw new FeedSubscription.SubscriberTooSlowException();
            }
            while (!queue.isEmpty() && sink.isReady()) {
                List<LogRow> run = takeRun();
                if (!run.isEmpty()) {
                    send(run);
                } else if (!queue.isEmpty()) {
                    caughtUp = false;
                    return new Next(Step.HOLE, last, queue.poll());
                }
            }
            return Next.SENT;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the queued run that follows the last sequence sent (dropping entries already sent);
     * empty when the queue is empty or its head does not follow, a hole.
     */
    private List<LogRow> takeRun() {
        List<LogRow> run = new ArrayList<>();
        long previous = last;
        while (!queue.isEmpty() && run.size() < FeedSink.EVENTS_PER_MESSAGE) {
            long sequence = queue.peek().sequence();
            if (sequence <= previous) {
                queue.poll();
            } else if (sequence == previous + 1) {
                run.add(queue.poll());
                previous = sequence;
            } else {
                break;
            }
        }
        return run;
    }

    /**
     * Sends a heartbeat, ordered with the live writes. It names the later of what this stream has
     * sent and what the replica last read: either way, at the vouch's read time the log ended at
     * or before it, so a subscriber that has it was in sync then.
     */
    void heartbeat(RevocationFeed.Vouch vouch, Instant serverTime) {
        lock.lock();
        try {
            sink.heartbeat(Math.max(last, vouch.sequence()), serverTime, vouch.logReadAt());
            lastSentNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }
}
