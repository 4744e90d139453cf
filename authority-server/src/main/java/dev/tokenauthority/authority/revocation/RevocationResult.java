package dev.tokenauthority.authority.revocation;

import java.time.Instant;

/**
 * The outcome of a revocation: the feed sequence that carries it (0 when nothing changed, e.g.
 * already revoked) and what it revoked.
 */
public record RevocationResult(long feedSequence, long revokedRefreshTokens, long revokedSessions, Instant revokedAt) {

    public static RevocationResult nothing(Instant at) {
        return new RevocationResult(0, 0, 0, at);
    }
}
