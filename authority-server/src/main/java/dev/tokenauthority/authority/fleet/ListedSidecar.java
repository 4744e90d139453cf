package dev.tokenauthority.authority.fleet;

/**
 * A sidecar in the fleet listing: its record, its state, and how far behind the log's head it is, in sequence
 * numbers and in milliseconds since the first entry it has not applied was recorded (both 0 at the head, and for a
 * sidecar that reports no position).
 */
public record ListedSidecar(SidecarRecord sidecar, SidecarState state, long lagEntries, long lagMillis) {
}
