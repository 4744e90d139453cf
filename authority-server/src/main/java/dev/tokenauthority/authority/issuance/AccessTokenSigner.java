package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.crypto.BouncyCastle;
import dev.tokenauthority.authority.keys.SigningKey;
import dev.tokenauthority.authority.keys.SigningKeys;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Builds and signs access tokens as JWTs in the RFC 9068 profile: header {@code typ: at+jwt}
 * and {@code kid}; claims {@code iss sub aud exp iat jti client_id scope sid}, plus
 * {@code iat_us}, the issue time in microseconds. Watermarks (force logout, revoke all) compare
 * against it: with second-resolution {@code iat}, a token issued in the same second right after a
 * force logout could not be told apart from one issued right before it.
 */
public final class AccessTokenSigner {

    /** Private claim: issue time in microseconds since the epoch. */
    public static final String ISSUED_AT_MICROS = "iat_us";

    private final SigningKeys keys;
    private final String issuer;

    public AccessTokenSigner(SigningKeys keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** The claims of one access token. */
    public record Claims(String jti, String subject, List<String> audience, String clientId, List<String> scopes,
            String sessionId, Instant issuedAt, Instant expiresAt) {
    }

    public String sign(Claims c) {
        SigningKey key = keys.current();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claimsJson(c));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "at+jwt");
        jws.setKey(key.privateKey());
        jws.setProviderContext(BouncyCastle.SIGNATURE_PROVIDER_CONTEXT);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing an access token failed", e);
        }
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
        return claims.toJson();
    }
}
