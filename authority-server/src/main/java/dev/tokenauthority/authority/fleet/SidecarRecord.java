package dev.tokenauthority.authority.fleet;

import java.time.Instant;

/**
 * One sidecar as the replica it follows last wrote it: who it is, where, since when, and the position it reports
 * having applied ({@link #NOT_REPORTED} for a sidecar that reports none). {@code disconnectedAt} is set once its
 * stream ended.
 */
public record SidecarRecord(String sidecarId, String clientId, String address, String replica, String version,
        Instant connectedAt, Instant lastSeenAt, long appliedSequence, Instant disconnectedAt) {

    /** The applied position of a sidecar that has not reported one. */
    public static final long NOT_REPORTED = -1;

    public boolean reports() {
        return appliedSequence != NOT_REPORTED;
    }
}
