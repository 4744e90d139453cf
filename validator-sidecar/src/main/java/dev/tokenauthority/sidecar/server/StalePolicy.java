package dev.tokenauthority.sidecar.server;

/** What Validate answers when the revocation state is older than the allowed staleness. */
public enum StalePolicy {
    /** Deny with FEED_STALE: a revocation may have been missed. The default. */
    FAIL_CLOSED,
    /** Decide from the stale state anyway; an opt-in for services that prefer availability. */
    FAIL_OPEN
}
