package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.Transaction;
import java.time.Clock;
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
     * On a hot standby: the last beat the standby replayed ({@link FeedBeat}), and never later than
     * the clock. A read on a standby sees the primary as of the last commit replayed, which may be
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
            return beat.isBefore(now) ? beat : now;
        };
    }
}
