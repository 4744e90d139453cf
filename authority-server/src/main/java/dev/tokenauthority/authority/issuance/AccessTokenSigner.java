package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.JsonStrings;
import dev.tokenauthority.authority.keys.SigningKey;
import dev.tokenauthority.authority.keys.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.signers.Ed25519Signer;
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

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;
    private final String issuer;

    public AccessTokenSigner(SigningKeys keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** The claims of one access token. */
    public record Claims(String jti, String subject, List<String> audience, String clientId, List<String> scopes,
            String sessionId, Instant sessionStartedAt, Instant issuedAt, Instant expiresAt) {
    }

    public String sign(Claims c) {
        SigningKey key = keys.current();
        String header = "{\"alg\":\"EdDSA\",\"kid\":" + JsonStrings.quote(key.kid()) + ",\"typ\":\"at+jwt\"}";
        String signingInput = BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + BASE64URL.encodeToString(claimsJson(c).getBytes(StandardCharsets.UTF_8));
        byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
        // JWS compact serialization (RFC 7515 section 7.1) signed with Bouncy Castle's Ed25519 directly:
        // the key's parameters are parsed once and cache the public key, where the JCA path re-derives
        // it (a second scalar multiplication) on every signature.
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key.signingParameters());
        signer.update(input, 0, input.length);
        return signingInput + "." + BASE64URL.encodeToString(signer.generateSignature());
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
