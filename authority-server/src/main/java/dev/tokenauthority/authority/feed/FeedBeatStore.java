package dev.tokenauthority.authority.feed;

import java.time.Duration;
import java.time.Instant;

/**
 * The feed's beat: one row a primary-role replica moves to its clock (see {@link FeedBeat}) and a
 * feed-only replica reads back, as replayed by its standby, to know how recent its view of the log is.
 */
public interface FeedBeatStore {

    /**
     * Moves the beat to {@code at} unless it is already there or later (another replica's clock may
     * run a little ahead): a beat never goes back, except from more than {@code aheadTolerance}
     * beyond {@code at}, a beat written by a clock that ran fast, which is pulled back to {@code at}
     * so that it cannot stand in the future. Returns whether it moved.
     */
    boolean beat(Instant at, Duration aheadTolerance);

    /** The latest beat this database holds (the epoch if no replica ever beat). */
    Instant lastBeat();
}
