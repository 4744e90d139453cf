package dev.tokenauthority.authority.issuance;

import java.time.Instant;
import java.util.List;

/** What a login, refresh or trusted issuance hands back to the client. */
public record IssuedTokens(String accessToken, Instant accessTokenExpiresAt, String refreshToken,
        String refreshTokenId, Instant refreshTokenExpiresAt, String sessionId, List<String> scopes) {

    @Override
    public String toString() {
        return "IssuedTokens[session=" + sessionId + ", refreshTokenId=" + refreshTokenId + ", secrets=<redacted>]";
    }
}
