package dev.tokenauthority.authority.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The fleet as an admin sees it (ListSidecars): every row of the shared table seen within
 * {@link SidecarFleet#LISTED_FOR}, with this replica's own sidecars taken from memory (fresher than their rows), each
 * given a {@link SidecarState} and its lag behind the log's head as this replica has published it.
 */
public final class FleetLister {

    /** The most sidecars one listing shows. */
    public static final int LIMIT = 5_000;

    private final SidecarFleet fleet;
    private final LongSupplier headSequence;

    public FleetLister(SidecarFleet fleet, LongSupplier headSequence) {
        this.fleet = fleet;
        this.headSequence = headSequence;
    }

    public FleetListing list() {
        Instant now = fleet.clock().instant();
        long head = headSequence.getAsLong();
        Map<String, SidecarRecord> rows = new LinkedHashMap<>();
        List<SidecarRecord> stored = fleet.transactor().read(tx -> tx.store(SidecarStore.class)
                .seenSince(now.minus(SidecarFleet.LISTED_FOR), LIMIT));
        stored.forEach(row -> rows.put(row.sidecarId(), row));
        Set<String> local = new HashSet<>();
        fleet.localRecords().forEach(row -> {
            rows.put(row.sidecarId(), row);
            local.add(row.sidecarId());
        });
        Set<String> gone = new HashSet<>();
        Set<Long> behind = new HashSet<>();
        for (SidecarRecord row : rows.values()) {
            // A stream open on this replica is connected, however long the sidecar has been quiet.
            if (!local.contains(row.sidecarId()) && (row.disconnectedAt() != null
                    || row.lastSeenAt().isBefore(now.minus(SidecarFleet.SILENT_AFTER)))) {
                gone.add(row.sidecarId());
            } else if (row.reports() && row.appliedSequence() < head) {
                behind.add(row.appliedSequence());
            }
        }
        Map<Long, Instant> firstUnapplied = behind.isEmpty() ? Map.of()
                : fleet.transactor().read(tx -> tx.store(SidecarStore.class).firstRecordedAfter(behind));
        List<ListedSidecar> listed = new ArrayList<>();
        for (SidecarRecord row : rows.values()) {
            listed.add(listed(row, gone.contains(row.sidecarId()), head, now, firstUnapplied));
        }
        listed.sort(Comparator.comparing((ListedSidecar s) -> s.state() == SidecarState.GONE)
                .thenComparing(Comparator.comparingLong(ListedSidecar::lagMillis).reversed())
                .thenComparing(s -> s.sidecar().lastSeenAt(), Comparator.reverseOrder())
                .thenComparing(s -> s.sidecar().sidecarId()));
        Map<SidecarState, Integer> counts = new EnumMap<>(SidecarState.class);
        for (SidecarState state : SidecarState.values()) {
            counts.put(state, 0);
        }
        listed.forEach(s -> counts.merge(s.state(), 1, Integer::sum));
        return new FleetListing(head, listed.size() > LIMIT ? listed.subList(0, LIMIT) : listed, counts);
    }

    private static ListedSidecar listed(SidecarRecord row, boolean gone, long head, Instant now,
            Map<Long, Instant> firstUnapplied) {
        if (!row.reports()) {
            return new ListedSidecar(row, gone ? SidecarState.GONE : SidecarState.NOT_REPORTING, 0, 0);
        }
        long lagEntries = Math.max(0, head - row.appliedSequence());
        if (gone) {
            return new ListedSidecar(row, SidecarState.GONE, lagEntries, 0); // its lag in time grows with its absence
        }
        long lagMillis = 0;
        Instant first = lagEntries > 0 ? firstUnapplied.get(row.appliedSequence()) : null;
        if (first != null) {
            lagMillis = Math.max(0, now.toEpochMilli() - first.toEpochMilli());
        }
        SidecarState state = lagMillis > SidecarFleet.LAGGING_AFTER.toMillis()
                ? SidecarState.LAGGING : SidecarState.FRESH;
        return new ListedSidecar(row, state, lagEntries, lagMillis);
    }
}
