package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The moment a read of the log, about to begin in a transaction, shows every revocation that had
 * returned by: what the feed vouches for to its subscribers ({@link RevocationFeed.Vouch}) and what a
 * snapshot is generated at. Asked just before the log is read, on the connection that reads it.
 */
@FunctionalInterface
public interface LogReadTime {

    Instant before(Transaction tx);

    /**
     * On a primary (or any database that is not behind one): the clock. A read that begins now sees
     * every commit made before now.
     */
    static LogReadTime clock(Clock clock) {
        return tx -> clock.instant();
    }

    /**
     * How far a beat may be ahead of the clock that reads it and still be believed (capped at that
     * clock); a beat further ahead comes from a primary whose clock ran fast, and vouches for nothing.
     */
    Duration BEAT_AHEAD_TOLERANCE = Duration.ofSeconds(5);

    /**
     * On a hot standby: the last beat the standby replayed ({@link FeedBeat}), and never later than
     * the clock. A beat more than {@link #BEAT_AHEAD_TOLERANCE} ahead of the clock is not believed:
     * the read vouches for nothing (the epoch), so subscribers go stale rather than be vouched for
     * by this replica's own clock while its standby may lag; primaries pull such a beat back to
     * their time within a beat interval. A read on a standby sees the primary as of the last commit replayed, which may be
     * long ago; the beat is the primary's own time, committed after every revocation that returned
     * before it, so a read beginning after the beat was read sees them all. The read of the log comes
     * after the beat's, on the same connection, so its snapshot is never older than the beat's.
     * If the primary stops beating or the standby stops replaying, this stops advancing and the
     * subscribers go stale: the feed fails closed.
     */
    static LogReadTime replayedBeat(Clock clock) {
        return tx -> {
            Instant beat = tx.store(FeedBeatStore.class).lastBeat();
            Instant now = clock.instant();
            if (beat.isAfter(now.plus(BEAT_AHEAD_TOLERANCE))) {
                return Instant.EPOCH;
            }
            return beat.isBefore(now) ? beat : now;
        };
    }
}
