package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.issuance.RefreshOutcome;
import dev.tokenauthority.authority.login.LoginOutcome;
import dev.tokenauthority.authority.token.RevocationKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts this replica's logins, refreshes, revocations and reuse detections per minute in memory, and adds them to
 * the shared per-minute rows ({@link ActivityStore}) once a {@link #FLUSH_INTERVAL}, when asked (before the
 * activity is read) and when the authority stops.
 *
 * <p>Design: refresh throughput is a measured target, so recording is no database write: one lock-free
 * increment of a slot of the minute's {@link AtomicLongArray} (found in a concurrent map keyed by the epoch minute).
 * A flush takes each slot with {@code getAndSet(0)}, so an increment racing with it lands either in this flush or in
 * the next, never in neither; a flush that fails gives its counts back for the next one. The rows are summed over
 * replicas by an adding upsert, so any number of replicas share them and a restart loses nothing flushed. The same
 * flush samples the active sessions into the current minute.
 *
 * <p>What the numbers can miss: a replica killed with {@code -9} (or whose database stays unreachable until it
 * stops) loses what it counted since its last flush, at most a minute; a count whose thread stalled for more than
 * {@link #KEEP_MINUTES} minutes between reading the clock and incrementing can land in a minute already dropped from
 * memory. Another replica's counts appear up to a minute late. Events are counted when the call ends, by the
 * clock of the replica that served it.
 */
public final class ActivityRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityRecorder.class);
    /** How often counts go to the database: how far behind another replica's part of a chart can be. */
    public static final Duration FLUSH_INTERVAL = Duration.ofMinutes(1);
    /** How long rows are kept: the longest chart (a day) plus an hour, so its oldest bucket is always whole. */
    public static final Duration RETENTION = Duration.ofHours(25);
    /** Minutes a past minute stays in memory after it ended, for a count whose clock read came just before. */
    private static final long KEEP_MINUTES = 2;

    private static final int LOGINS = 0;
    private static final int REFRESHES = 1;
    private static final int REVOCATIONS = 2;
    private static final int REUSE_DETECTIONS = 3;
    private static final int SLOTS = 4;

    private final Map<Long, AtomicLongArray> minutes = new ConcurrentHashMap<>();
    private final Transactions transactor;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public ActivityRecorder(Transactions transactor, Clock clock) {
        this.transactor = transactor;
        this.clock = clock;
    }

    /** Flushes every {@link #FLUSH_INTERVAL} from now on, and once more at {@link #close}. */
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "activity-flush");
            t.setDaemon(true);
            return t;
        });
        long period = FLUSH_INTERVAL.toMillis();
        scheduler.scheduleAtFixedRate(this::flushLogged, period, period, TimeUnit.MILLISECONDS);
    }

    public void login(LoginOutcome outcome) {
        if (outcome == LoginOutcome.SUCCESS) {
            count(LOGINS, 1);
        }
    }

    public void refresh(RefreshOutcome outcome) {
        switch (outcome) {
            case ROTATED, GRACE_RETRY -> count(REFRESHES, 1);
            case REUSE_DETECTED -> count(REUSE_DETECTIONS, 1);
            default -> { }
        }
    }

    /** Revocations of tokens, sessions, users and everyone; suspensions and key-set changes are not plotted. */
    public void revocationsCommitted(RevocationKind kind, int entries) {
        switch (kind) {
            case TOKEN, SESSION, USER_WATERMARK, GLOBAL_WATERMARK -> count(REVOCATIONS, entries);
            default -> { }
        }
    }

    private void count(int slot, long n) {
        minutes.computeIfAbsent(epochMinute(clock.millis()), m -> new AtomicLongArray(SLOTS)).addAndGet(slot, n);
    }

    /**
     * Adds what was counted since the last flush to the database, with a sample of the active sessions in the
     * current minute. On failure the counts are kept for the next flush and the failure is thrown.
     */
    public synchronized void flush() {
        Instant now = clock.instant();
        long current = epochMinute(now.toEpochMilli());
        List<Taken> taken = take(current);
        try {
            transactor.useTransaction(tx -> {
                ActivityStore store = tx.store(ActivityStore.class);
                long active = store.countActiveSessions(now);
                ActivityCounts currentCounts = ActivityCounts.NONE;
                for (Taken t : taken) {
                    if (t.minute == current) {
                        currentCounts = t.counts;
                    } else {
                        store.add(instantOf(t.minute), t.counts, null);
                    }
                }
                store.add(instantOf(current), currentCounts, active);
            });
        } catch (RuntimeException e) {
            taken.forEach(t -> giveBack(t.minute, t.counts));
            throw e;
        }
    }

    private void flushLogged() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("adding the activity counts to the database failed, retrying in {}: {}", FLUSH_INTERVAL,
                    e.getMessage());
        }
    }

    /** Takes every non-zero count, and forgets minutes that ended more than {@link #KEEP_MINUTES} ago. */
    private List<Taken> take(long current) {
        List<Taken> taken = new ArrayList<>();
        for (Map.Entry<Long, AtomicLongArray> entry : minutes.entrySet()) {
            long minute = entry.getKey();
            AtomicLongArray slots = entry.getValue();
            if (minute < current - KEEP_MINUTES) {
                minutes.remove(minute, slots); // drained below, after no new count can find it
            }
            ActivityCounts counts = new ActivityCounts(slots.getAndSet(LOGINS, 0), slots.getAndSet(REFRESHES, 0),
                    slots.getAndSet(REVOCATIONS, 0), slots.getAndSet(REUSE_DETECTIONS, 0));
            if (!counts.isZero()) {
                taken.add(new Taken(minute, counts));
            }
        }
        return taken;
    }

    private void giveBack(long minute, ActivityCounts counts) {
        AtomicLongArray slots = minutes.computeIfAbsent(minute, m -> new AtomicLongArray(SLOTS));
        slots.addAndGet(LOGINS, counts.logins());
        slots.addAndGet(REFRESHES, counts.refreshes());
        slots.addAndGet(REVOCATIONS, counts.revocations());
        slots.addAndGet(REUSE_DETECTIONS, counts.reuseDetections());
    }

    private static long epochMinute(long epochMilli) {
        return Math.floorDiv(epochMilli, 60_000L);
    }

    private static Instant instantOf(long epochMinute) {
        return Instant.ofEpochSecond(epochMinute * 60);
    }

    /** Stops the periodic flush and, if it was started, flushes once more: call while the database is open. */
    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        scheduler = null;
        flushLogged();
    }

    private record Taken(long minute, ActivityCounts counts) {}
}
