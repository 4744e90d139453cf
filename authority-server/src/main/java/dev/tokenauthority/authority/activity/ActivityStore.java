package dev.tokenauthority.authority.activity;

import java.time.Instant;
import java.util.List;

/** The per-minute activity rows every replica adds to (see {@link ActivityRecorder}). */
public interface ActivityStore {

    /**
     * Adds {@code counts} to the row of the minute starting at {@code minute}, creating it if absent; when
     * {@code activeSessions} is not null it replaces the minute's sample. Safe against another replica adding to the
     * same minute at the same time: neither's counts are lost.
     */
    void add(Instant minute, ActivityCounts counts, Long activeSessions);

    /** The minutes starting at or after {@code from}, oldest first. */
    List<ActivityBucket> since(Instant from);

    /** Sessions active at {@code now}: not ended, not expired, not ended by a force logout whose rows lag. */
    long countActiveSessions(Instant now);

    /** Removes the minutes that started before {@code cutoff}. */
    int deleteBefore(Instant cutoff);
}
