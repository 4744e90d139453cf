package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.feed.FeedBeatStore;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link FeedBeatStore}: one row, kept apart from authority_state, whose lock appends hold. */
final class JdbiFeedBeatStore implements FeedBeatStore {

    private final Handle handle;

    JdbiFeedBeatStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public boolean beat(Instant at, Duration aheadTolerance) {
        return handle.createUpdate(
                        "UPDATE feed_beat SET beat_at = :at WHERE id = 1 AND (beat_at < :at OR beat_at > :furthest)")
                .bind("at", at).bind("furthest", at.plus(aheadTolerance)).execute() == 1;
    }

    @Override
    public Instant lastBeat() {
        return handle.createQuery("SELECT beat_at FROM feed_beat WHERE id = 1").mapTo(Instant.class).one();
    }
}
