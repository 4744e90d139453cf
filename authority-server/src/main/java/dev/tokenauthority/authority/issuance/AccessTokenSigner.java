package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.keys.JwsSigner;
import dev.tokenauthority.authority.keys.SigningKeys;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Builds and signs access tokens as JWTs in the RFC 9068 profile: header {@code typ: at+jwt}
 * and {@code kid}; claims {@code iss sub aud exp iat jti client_id scope sid}, plus
 * {@code iat_us}, the issue time in microseconds, and {@code auth_time} (RFC 9068 section 2.2.1)
 * with {@code auth_time_us}: when the token's session began (its login). Watermarks (force logout,
 * revoke all) compare against the session's start, in microseconds: every token of a session begun
 * before a force logout is dead, whenever it was issued, so a refresh racing the force logout
 * cannot mint a live one; and with second-resolution times, a login in the same second right
 * after a force logout could not be told apart from one right before it.
 */
public final class AccessTokenSigner {

    /** Private claim: issue time in microseconds since the epoch. */
    public static final String ISSUED_AT_MICROS = "iat_us";

    /** Private claim: the session's start (its login) in microseconds since the epoch. */
    public static final String AUTH_TIME_MICROS = "auth_time_us";

    private final JwsSigner jws;
    private final String issuer;

    public AccessTokenSigner(SigningKeys keys, String issuer) {
        this.jws = new JwsSigner(keys);
        this.issuer = issuer;
    }

    /** The claims of one access token. */
    public record Claims(String jti, String subject, List<String> audience, String clientId, List<String> scopes,
            String sessionId, Instant sessionStartedAt, Instant issuedAt, Instant expiresAt) {
    }

    public String sign(Claims c) {
        return jws.sign("at+jwt", claimsJson(c));
    }

    /** The JWT claims set exactly as {@link #sign} writes it (also shown to administrators). */
    public String claimsJson(Claims c) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(c.subject());
        claims.setAudience(c.audience());
        claims.setExpirationTime(NumericDate.fromSeconds(c.expiresAt().getEpochSecond()));
        claims.setIssuedAt(NumericDate.fromSeconds(c.issuedAt().getEpochSecond()));
        claims.setJwtId(c.jti());
        claims.setClaim("client_id", c.clientId());
        claims.setClaim("scope", String.join(" ", c.scopes()));
        claims.setClaim("sid", c.sessionId());
        claims.setClaim(ISSUED_AT_MICROS, ChronoUnit.MICROS.between(Instant.EPOCH, c.issuedAt()));
        claims.setClaim("auth_time", c.sessionStartedAt().getEpochSecond());
        claims.setClaim(AUTH_TIME_MICROS, ChronoUnit.MICROS.between(Instant.EPOCH, c.sessionStartedAt()));
        return claims.toJson();
    }
}
