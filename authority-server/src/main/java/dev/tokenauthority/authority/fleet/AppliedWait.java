package dev.tokenauthority.authority.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, after a revocation committed, until the sidecars connected at that moment have applied its feed sequence.
 *
 * <p>Which sidecars: those connected to this replica, and those the table shows connected to another replica (written
 * within {@link SidecarFleet#SILENT_AFTER}). This replica's own are watched in memory and wake the wait at once; the
 * others' positions are read from the table every {@link #POLL_INTERVAL}, which their replicas write within
 * {@link SidecarFleet#WRITE_DELAY} of each acknowledgement. A sidecar that leaves meanwhile stays counted, as not
 * applied (unless it comes back and applies it). The wait is in real time ({@code System.nanoTime}), not the
 * authority's clock: it bounds how long a caller waits, and a test's fixed clock must not make it endless.
 */
public final class AppliedWait {

    private static final Logger LOG = LoggerFactory.getLogger(AppliedWait.class);

    /** How often the positions of other replicas' sidecars are read while waiting for them. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    /** The longest a caller may ask to wait. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    private final SidecarFleet fleet;

    public AppliedWait(SidecarFleet fleet) {
        this.fleet = fleet;
    }

    /** Waits at most {@code timeout} for the sidecars connected now to apply {@code sequence}. */
    public SidecarsApplied await(long sequence, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + Math.min(timeout.toNanos(), MAX_TIMEOUT.toNanos());
        Set<String> local = new HashSet<>();
        fleet.localRecords().forEach(row -> local.add(row.sidecarId()));
        Set<String> remote = remoteConnected(local);
        Map<String, Long> remotePositions = new HashMap<>();
        long nextRead = start;
        while (true) {
            long now = System.nanoTime();
            if (!remote.isEmpty() && now >= nextRead) {
                remotePositions = readPositions(remote, remotePositions);
                nextRead = System.nanoTime() + POLL_INTERVAL.toNanos();
            }
            int applied = appliedLocally(local, sequence) + applied(remotePositions, sequence);
            int connected = local.size() + remote.size();
            now = System.nanoTime();
            if (applied == connected || now >= deadline) {
                return new SidecarsApplied(connected, applied, Duration.ofNanos(now - start), applied < connected);
            }
            long waitNanos = Math.min(deadline - now, remote.isEmpty() ? Long.MAX_VALUE : nextRead - now);
            synchronized (fleet.progress) {
                try {
                    fleet.progress.wait(Math.max(1, waitNanos / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new SidecarsApplied(connected, applied, Duration.ofNanos(System.nanoTime() - start), true);
                }
            }
        }
    }

    /**
     * The revocation has committed by now: a database that fails during the wait must not turn its answer into an
     * error. Other replicas' sidecars then keep their last known positions (none at first), and count as not applied.
     */
    private Map<String, Long> readPositions(Set<String> remote, Map<String, Long> lastKnown) {
        try {
            return fleet.transactor().read(tx -> tx.store(SidecarStore.class).appliedSequences(remote));
        } catch (RuntimeException e) {
            LOG.debug("could not read other replicas' sidecars while waiting: {}", e.getMessage());
            return lastKnown;
        }
    }

    /** Other replicas' connected sidecars; none when the database cannot say (see {@link #readPositions}). */
    private Set<String> remoteConnected(Set<String> local) {
        Instant since = fleet.clock().instant().minus(SidecarFleet.SILENT_AFTER);
        List<SidecarRecord> rows;
        try {
            rows = fleet.transactor().read(tx -> tx.store(SidecarStore.class).seenSince(since, FleetLister.LIMIT));
        } catch (RuntimeException e) {
            LOG.debug("could not read other replicas' sidecars before waiting: {}", e.getMessage());
            return Set.of();
        }
        Set<String> remote = new HashSet<>();
        for (SidecarRecord row : rows) {
            if (row.disconnectedAt() == null && !row.replica().equals(fleet.replica())
                    && !local.contains(row.sidecarId())) {
                remote.add(row.sidecarId());
            }
        }
        return remote;
    }

    private int appliedLocally(Set<String> ids, long sequence) {
        int applied = 0;
        for (String id : ids) {
            // A sidecar that left and came back here counts from its new stream.
            long position = fleet.connection(id).map(SidecarFleet.Connection::appliedSequence)
                    .orElse(SidecarRecord.NOT_REPORTED);
            if (position >= sequence) {
                applied++;
            }
        }
        return applied;
    }

    private static int applied(Map<String, Long> positions, long sequence) {
        return (int) positions.values().stream().filter(position -> position >= sequence).count();
    }
}
