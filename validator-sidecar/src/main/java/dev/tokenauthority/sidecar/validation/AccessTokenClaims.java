package dev.tokenauthority.sidecar.validation;

import java.time.Instant;
import java.util.List;

/**
 * The claims of a verified access token (RFC 9068 section 2.2 plus the authority's own {@code sid} and
 * {@code iat_us}). Times are NumericDate seconds (RFC 7519 section 2).
 *
 * @param issuer "iss"
 * @param subject "sub", the user id
 * @param audiences "aud", one or more
 * @param expiresAt "exp"
 * @param issuedAt "iat"
 * @param notBefore "nbf", or {@link #NO_NOT_BEFORE} if absent
 * @param tokenId "jti"
 * @param clientId "client_id"
 * @param scopes "scope" split on spaces (RFC 6749 section 3.3), in token order
 * @param sessionId "sid"
 * @param issuedAtMicros "iat_us", or {@code iat * 1_000_000} if absent ("iat" has one-second resolution)
 * @param sessionStartMicros when the token's session began: "auth_time_us", else {@code auth_time * 1_000_000},
 *     else {@link #issuedAtMicros}; compared against revocation watermarks, which kill every token of a session
 *     begun at or before them, whenever it was issued
 */
public record AccessTokenClaims(
        String issuer,
        String subject,
        List<String> audiences,
        long expiresAt,
        long issuedAt,
        long notBefore,
        String tokenId,
        String clientId,
        List<String> scopes,
        String sessionId,
        long issuedAtMicros,
        long sessionStartMicros) {

    /** The value of {@link #notBefore()} when the token has no "nbf". */
    public static final long NO_NOT_BEFORE = Long.MIN_VALUE;

    public AccessTokenClaims {
        audiences = List.copyOf(audiences);
        scopes = List.copyOf(scopes);
    }

    /** "exp" as an instant. */
    public Instant expiresAtInstant() {
        return Instant.ofEpochSecond(expiresAt);
    }
}
