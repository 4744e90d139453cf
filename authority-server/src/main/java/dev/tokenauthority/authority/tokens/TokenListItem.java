package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import java.time.Instant;

/**
 * A refresh token with its user's email and force-logout watermark (token_invalidated_at, null if
 * never set), as listings show it.
 */
public record TokenListItem(RefreshToken token, String userEmail, Instant userWatermark) {

    /**
     * The status an administrator sees: an ACTIVE token past its expiry is EXPIRED, and a live one
     * issued at or before its user's force logout is REVOKED already, while its row follows.
     */
    public RefreshTokenStatus statusAt(Instant now) {
        boolean live = token.status() == RefreshTokenStatus.ACTIVE || token.status() == RefreshTokenStatus.SUSPENDED;
        if (live && userWatermark != null && !token.issuedAt().isAfter(userWatermark)) {
            return RefreshTokenStatus.REVOKED;
        }
        if (token.status() == RefreshTokenStatus.ACTIVE && !token.expiresAt().isAfter(now)) {
            return RefreshTokenStatus.EXPIRED;
        }
        return token.status();
    }
}
