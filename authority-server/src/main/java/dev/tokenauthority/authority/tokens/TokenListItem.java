package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import java.time.Instant;

/** A refresh token with its user's email, as listings show it. */
public record TokenListItem(RefreshToken token, String userEmail) {

    /** The status an administrator sees: an ACTIVE token past its expiry is EXPIRED. */
    public RefreshTokenStatus statusAt(Instant now) {
        if (token.status() == RefreshTokenStatus.ACTIVE && !token.expiresAt().isAfter(now)) {
            return RefreshTokenStatus.EXPIRED;
        }
        return token.status();
    }
}
