package dev.tokenauthority.authority.feed;

import java.time.Instant;

/**
 * The feed's beat: one row a primary-role replica moves to its clock (see {@link FeedBeat}) and a
 * feed-only replica reads back, as replayed by its standby, to know how recent its view of the log is.
 */
public interface FeedBeatStore {

    /**
     * Moves the beat to {@code at} unless it is already there or later (another replica's clock may
     * run ahead): a beat never goes back. Returns whether it moved.
     */
    boolean beat(Instant at);

    /** The latest beat this database holds (the epoch if no replica ever beat). */
    Instant lastBeat();
}
