package dev.tokenauthority.authority.refresh;

import java.time.Instant;
import java.util.List;

/** A stored refresh token: metadata and the hash of its secret, never the secret itself. */
public record RefreshToken(
        String id,
        String secretHash,
        String sessionId,
        String parentId,
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
