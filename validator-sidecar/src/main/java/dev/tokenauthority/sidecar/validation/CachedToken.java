package dev.tokenauthority.sidecar.validation;

import dev.tokenauthority.sidecar.jose.VerificationKey;
import dev.tokenauthority.sidecar.state.TokenIds;

/**
 * A token whose signature and format have been verified, with everything a cache hit needs precomputed: time bounds
 * with the skew applied, the ids for the revocation tables (hashed once per snapshot key), the issuer check and the allow decision.
 */
final class CachedToken {

    final VerificationKey key;
    final AccessTokenClaims claims;
    final ValidationDecision allowed;
    final boolean issuerMatches;
    /** First instant (epoch millis) at which the token is EXPIRED: exp + skew (RFC 7519 section 4.1.4). */
    final long expiredAtMillis;
    /** First instant at which it is valid: max(nbf, iat) - skew (RFC 7519 sections 4.1.5, 4.1.6). */
    final long validFromMillis;
    /** exp - iat in seconds: compared with the authority's maximum access-token lifetime on every decision. */
    final long lifetimeSeconds;
    final TokenIds ids;

    CachedToken(VerificationKey key, AccessTokenClaims claims, String expectedIssuer, long skewMillis) {
        this.key = key;
        this.claims = claims;
        this.allowed = ValidationDecision.allow(claims);
        this.issuerMatches = expectedIssuer.equals(claims.issuer());
        // NumericDates are at most year 9999 (checked when reading claims), so these cannot overflow.
        this.expiredAtMillis = claims.expiresAt() * 1000 + skewMillis;
        this.validFromMillis = Math.max(claims.notBefore(), claims.issuedAt()) * 1000 - skewMillis;
        this.lifetimeSeconds = claims.expiresAt() - claims.issuedAt();
        this.ids = new TokenIds(claims.tokenId(), claims.sessionId(), claims.subject());
    }
}
