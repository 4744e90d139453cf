package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;

/** The claims of an access token whose signature and issuer checked out. */
public record AccessTokenClaims(String jti, String subject, String clientId, String sessionId, List<String> scopes,
        List<String> audience, String issuer, Instant issuedAt, Instant expiresAt) {
}
