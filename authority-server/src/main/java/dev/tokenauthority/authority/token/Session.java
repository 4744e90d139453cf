package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;

/**
 * One login of a user on one client and device: the family every rotated refresh token and
 * every access token of that login belongs to. {@code expiresAt} is the absolute session limit.
 */
public record Session(
        String id,
        String userId,
        String clientId,
        List<String> audience,
        List<String> scopes,
        Instant createdAt,
        Instant lastSeenAt,
        Instant expiresAt,
        String ip,
        String userAgent,
        String deviceId,
        String deviceName,
        SessionStatus status,
        Instant revokedAt,
        String revokedBy,
        String revokeReason) {

    /** Every session id starts with this. */
    public static final String ID_PREFIX = "ses_";

    /** This session carrying other audience and scopes. */
    public Session withAccess(List<String> newAudience, List<String> newScopes) {
        return new Session(id, userId, clientId, newAudience, newScopes, createdAt, lastSeenAt, expiresAt, ip, userAgent,
                deviceId, deviceName, status, revokedAt, revokedBy, revokeReason);
    }

    public boolean isLiveAt(Instant now) {
        return status == SessionStatus.ACTIVE && now.isBefore(expiresAt);
    }
}
