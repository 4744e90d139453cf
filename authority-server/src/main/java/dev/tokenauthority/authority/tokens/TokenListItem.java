package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import java.time.Instant;

/**
 * A refresh token with its user's email and force-logout watermark (token_invalidated_at, null if
 * never set) and its session's start and whether it is revoked, as listings show it.
 */
public record TokenListItem(RefreshToken token, String userEmail, Instant userWatermark, Instant sessionStartedAt,
        boolean sessionRevoked) {

    /**
     * The status an administrator sees: an ACTIVE token past its expiry is EXPIRED, and a live one of
     * a revoked session, or of a session begun at or before its user's force logout, is REVOKED
     * already, while its row follows (a refresh racing the force logout may have issued it after the
     * watermark: its session decides).
     */
    public RefreshTokenStatus statusAt(Instant now) {
        Instant start = sessionStartedAt != null ? sessionStartedAt : token.issuedAt();
        if (token.status().isLive()
                && (sessionRevoked || userWatermark != null && !start.isAfter(userWatermark))) {
            return RefreshTokenStatus.REVOKED;
        }
        if (token.status() == RefreshTokenStatus.ACTIVE && !token.expiresAt().isAfter(now)) {
            return RefreshTokenStatus.EXPIRED;
        }
        return token.status();
    }
}
