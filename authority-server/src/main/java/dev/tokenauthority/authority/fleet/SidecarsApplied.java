package dev.tokenauthority.authority.fleet;

import java.time.Duration;

/**
 * How many of the sidecars connected when a revocation committed had applied it when the wait ended, and how long
 * after the commit the last of them did (or the wait gave up).
 */
public record SidecarsApplied(int connected, int applied, Duration elapsed, boolean timedOut) {
}
