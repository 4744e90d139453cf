package dev.tokenauthority.bench;

import java.time.Duration;

/** One system {@link PeerBenchmark} compares: the calls of each phase, the same shape for both. */
interface PeerSystem extends AutoCloseable {

    /** A logged-in client whose every call is a refresh with rotation (presents the last answer's token). */
    ClosedLoopCell.Client rotationClient() throws Exception;

    /** A logged-in client whose every call checks its access token (introspection, or a sidecar's Validate). */
    ClosedLoopCell.Client checkClient() throws Exception;

    /**
     * Gives the logout user {@code sessions} sessions, then times the admin API's force logout of
     * that user, in nanoseconds; checks afterwards that a refresh token of the user no longer works.
     * Prints the details of the round unless {@code quiet} (a warm-up round).
     */
    long forceLogout(int sessions, Duration timeout, boolean quiet) throws Exception;
}
