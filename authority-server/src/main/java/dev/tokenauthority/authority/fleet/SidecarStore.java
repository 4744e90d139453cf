package dev.tokenauthority.authority.fleet;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The sidecars table every replica writes its sidecars to (see {@link SidecarFleet}). */
public interface SidecarStore {

    /** Inserts or replaces each sidecar's row (a sidecar id has one row, whichever replica it follows). */
    void save(Collection<SidecarRecord> sidecars);

    /**
     * Writes each sidecar as gone (its stream on {@code replica()} ended), unless its row is now another replica's:
     * a sidecar that moved on before the replica it left noticed must not be marked gone, or the other replicas would
     * stop counting it while it is connected.
     */
    void saveLeft(Collection<SidecarRecord> sidecars);

    /**
     * The sidecars seen at or after {@code since}, at most {@code limit} of them: those connected first (so that many
     * departures cannot push them out), then the most recently seen.
     */
    List<SidecarRecord> seenSince(Instant since, int limit);

    /**
     * The ids of the sidecars connected to a replica other than {@code replica}, as written at or after
     * {@code since}. Without a limit: sidecars that left, however many, must not hide one that is connected.
     */
    List<String> connectedElsewhereSince(String replica, Instant since);

    /** The applied positions of these sidecars, as last written; an id without a row is absent. */
    Map<String, Long> appliedSequences(Collection<String> sidecarIds);

    /**
     * For each of {@code sequences}, when the first log entry after it was recorded; a sequence no entry follows is
     * absent. One read for them all: a lagging fleet of thousands has as many positions.
     */
    Map<Long, Instant> firstRecordedAfter(Collection<Long> sequences);

    /** Marks every sidecar still connected to {@code replica} as gone at {@code at}: the replica is stopping. */
    int disconnectAll(String replica, Instant at);

    /** Deletes the rows of sidecars last seen before {@code cutoff}. */
    int deleteSeenBefore(Instant cutoff);
}
