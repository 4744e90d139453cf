package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;

/**
 * A stored refresh token: metadata and the hash of its secret, never the secret itself.
 * {@code successorId} is the token its rotation issued (null until rotated, and on tokens rotated
 * before V8).
 */
public record RefreshToken(
        String id,
        String secretHash,
        String sessionId,
        String parentId,
        String successorId,
        String userId,
        String clientId,
        Instant issuedAt,
        Instant lastUsedAt,
        Instant expiresAt,
        RefreshTokenStatus status,
        Instant rotatedAt,
        Instant revokedAt,
        String revokedBy,
        String revokeReason,
        String note,
        List<String> tags) {
}
