package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records of issued access tokens (jti, session, lifetime), so that a single jti can be revoked
 * and listed.
 */
public interface AccessTokenStore {

    public record AccessTokenRecord(String jti, String sessionId, String refreshTokenId, String userId, String clientId,
            Instant issuedAt, Instant expiresAt, Instant revokedAt) {
    }

    Optional<AccessTokenRecord> findByJti(String jti);

    /** The access token issued last against this refresh token, if any was. */
    Optional<AccessTokenRecord> findLatestOfRefreshToken(String refreshTokenId);

    int revoke(String jti, Instant at);

    int revokeAllOfSessions(List<String> sessionIds, Instant at);
}
