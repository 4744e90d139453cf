package dev.tokenauthority.authority.token;

import java.time.Duration;
import java.time.Instant;

/**
 * Authority-wide token rules.
 *
 * @param issuer             the {@code iss} of every access token
 * @param maxAccessTokenTtl  the cap on any client's access-token lifetime; it bounds how long a
 *                           revocation must be remembered (default 1 hour)
 * @param clockSkew          tolerated clock difference between authority and validators (default 30 s)
 * @param signingKeyMaxAge   a signing key older than this is rotated automatically (default 30 days)
 */
public record TokenPolicy(String issuer, Duration maxAccessTokenTtl, Duration clockSkew, Duration signingKeyMaxAge) {

    public static final Duration DEFAULT_MAX_ACCESS_TOKEN_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SIGNING_KEY_MAX_AGE = Duration.ofDays(30);

    public TokenPolicy {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must be set");
        }
    }

    public static TokenPolicy withIssuer(String issuer) {
        return new TokenPolicy(issuer, DEFAULT_MAX_ACCESS_TOKEN_TTL, DEFAULT_CLOCK_SKEW, DEFAULT_SIGNING_KEY_MAX_AGE);
    }

    /**
     * Until when a revocation made at {@code now} can still affect a live access token: any token
     * issued before now expires by now + the maximum lifetime, and validators allow the skew.
     */
    public Instant revocationHorizon(Instant now) {
        return now.plus(maxAccessTokenTtl).plus(clockSkew);
    }
}
