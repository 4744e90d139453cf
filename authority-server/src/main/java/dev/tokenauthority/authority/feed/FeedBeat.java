package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the feed's beat ({@link FeedBeatStore}) to this replica's clock every {@link #INTERVAL}, so
 * that a feed-only replica on a hot standby can tell how far its standby has replayed: a beat it
 * reads was taken on the primary before the beat's commit, so every revocation that had returned by
 * then committed earlier and was replayed with it (see {@link LogReadTime#replayedBeat}). Written
 * by every primary-role replica on PostgreSQL; one UPDATE of one row a second each. Not on H2, which
 * has no standby to read it and whose file would grow by a chunk for every beat.
 */
public final class FeedBeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedBeat.class);
    /** How often the beat moves: what a feed-only replica's vouch lags by at most, on top of replication. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Transactions transactor;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "feed-beat");
        t.setDaemon(true);
        return t;
    });

    public FeedBeat(Transactions transactor, Clock clock) {
        this.transactor = transactor;
        this.clock = clock;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::beatOnce, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Moves the beat to now. The time is read before the UPDATE: whatever returned before it has
     * committed before this transaction does.
     */
    public void beatOnce() {
        try {
            transactor.useTransaction(tx -> tx.store(FeedBeatStore.class)
                    .beat(clock.instant(), LogReadTime.BEAT_AHEAD_TOLERANCE));
        } catch (RuntimeException e) {
            LOG.warn("the feed's beat failed, retrying in {}: {}", INTERVAL, e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
