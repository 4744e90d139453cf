package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.SidecarWait;
import dev.tokenauthority.api.v1.SidecarsApplied;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.fleet.AppliedWait;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A revocation RPC's {@code wait_for_sidecars}: read and checked before the revocation runs (a bad timeout changes
 * nothing), then, after it committed, waited for at most the timeout and never past the call's own deadline.
 */
final class SidecarWaits {

    private final AppliedWait wait;

    SidecarWaits(AppliedWait wait) {
        this.wait = wait;
    }

    /** How long the request asks to wait; empty when it does not ask. */
    static Optional<Duration> timeout(boolean present, SidecarWait request) {
        if (!present) {
            return Optional.empty();
        }
        Duration timeout = DirectoryMessages.duration("wait_for_sidecars.timeout", request.getTimeout());
        if (timeout.isNegative() || timeout.compareTo(AppliedWait.MAX_TIMEOUT) > 0) {
            throw AuthorityException.invalidArgument("wait_for_sidecars.timeout",
                    "must be between 0 and " + AppliedWait.MAX_TIMEOUT.toSeconds() + " s, not " + timeout);
        }
        return timeout.isZero() ? Optional.empty() : Optional.of(timeout);
    }

    /** {@code result}, with how many sidecars applied {@code feedSequence} when the request asked to wait. */
    RevocationResult reply(RevocationResult result, long feedSequence, Optional<Duration> timeout) {
        return await(feedSequence, timeout).map(applied -> result.toBuilder().setSidecarsApplied(applied).build())
                .orElse(result);
    }

    /** Waits, if asked, for the sidecars connected now to apply {@code feedSequence}; empty when not asked. */
    Optional<SidecarsApplied> await(long feedSequence, Optional<Duration> timeout) {
        return timeout.map(asked -> {
            Duration bound = asked;
            Deadline deadline = Context.current().getDeadline();
            if (deadline != null) {
                // Answer just before the caller gives up, so it learns how far the sidecars got.
                Duration left = Duration.ofMillis(Math.max(0, deadline.timeRemaining(TimeUnit.MILLISECONDS) - 50));
                bound = left.compareTo(bound) < 0 ? left : bound;
            }
            var applied = wait.await(feedSequence, bound);
            return SidecarsApplied.newBuilder()
                    .setConnected(applied.connected())
                    .setApplied(applied.applied())
                    .setElapsed(DirectoryMessages.duration(applied.elapsed()))
                    .setTimedOut(applied.timedOut())
                    .build();
        });
    }
}
