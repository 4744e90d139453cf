package dev.tokenauthority.sidecar.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Mints access tokens in the authority's format (header {"alg","kid","typ":"at+jwt"}, RFC 9068 claims plus sid and
 * iat_us), with hooks to break any part of them.
 */
public final class TestTokens {

    public static final String ISSUER = "https://authority.example.test";
    public static final String AUDIENCE = "orders-api";
    public static final String SUBJECT = "usr_7Hq2kV9xLm3Pn8Rt1Wz4Yb";
    public static final String TOKEN_ID = "at_Q1w2E3r4T5y6U7i8O9p0Aa";
    public static final String SESSION_ID = "ses_Z9x8C7v6B5n4M3l2K1j0Hh";
    public static final String CLIENT_ID = "cli_orders_frontend";

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private TestKeys.SigningKey key;
    private String rawHeader;
    private String rawPayload;

    private TestTokens(TestKeys.SigningKey key, Instant issuedAt) {
        this.key = key;
        header.put("alg", key.alg());
        header.put("kid", key.kid());
        header.put("typ", "at+jwt");
        long micros = micros(issuedAt);
        claims.put("iss", ISSUER);
        claims.put("sub", SUBJECT);
        claims.put("aud", AUDIENCE);
        claims.put("exp", issuedAt.getEpochSecond() + 300);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("iat_us", micros);
        claims.put("jti", TOKEN_ID);
        claims.put("client_id", CLIENT_ID);
        claims.put("scope", "orders:read orders:write");
        claims.put("sid", SESSION_ID);
    }

    /** A valid token signed by {@code key}, issued at {@code issuedAt}, expiring 300 s later. */
    public static TestTokens token(TestKeys.SigningKey key, Instant issuedAt) {
        return new TestTokens(key, issuedAt);
    }

    public TestTokens header(String name, Object value) {
        header.put(name, value);
        return this;
    }

    public TestTokens withoutHeader(String name) {
        header.remove(name);
        return this;
    }

    public TestTokens claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    public TestTokens withoutClaim(String name) {
        claims.remove(name);
        return this;
    }

    /** Sets the issue time, keeping iat and iat_us consistent. */
    public TestTokens issuedAt(Instant instant) {
        claims.put("iat", instant.getEpochSecond());
        claims.put("iat_us", micros(instant));
        return this;
    }

    /** Sets "auth_time" and "auth_time_us": when the token's session began. */
    public TestTokens sessionStartedAt(Instant instant) {
        claims.put("auth_time", instant.getEpochSecond());
        claims.put("auth_time_us", micros(instant));
        return this;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    /** Uses this exact header JSON instead of the header map. */
    public TestTokens rawHeader(String json) {
        rawHeader = json;
        return this;
    }

    /** Uses this exact claims JSON instead of the claims map. */
    public TestTokens rawPayload(String json) {
        rawPayload = json;
        return this;
    }

    /** Signs with another key, leaving the header as it is. */
    public TestTokens signedBy(TestKeys.SigningKey other) {
        key = other;
        return this;
    }

    public Map<String, Object> claims() {
        return claims;
    }

    /** The compact serialization. */
    public String build() {
        return build(key::sign);
    }

    /** The compact serialization with a signature made by {@code signer} over the signing input. */
    public String build(UnaryOperator<byte[]> signer) {
        String signingInput = segment(rawHeader != null ? rawHeader : Json.write(header)) + "."
                + segment(rawPayload != null ? rawPayload : Json.write(claims));
        return signingInput + "." + TestKeys.b64(signer.apply(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A payload segment for raw bytes (e.g. invalid UTF-8), signed properly. */
    public String buildWithPayloadBytes(byte[] payload) {
        String signingInput = segment(Json.write(header)) + "." + TestKeys.b64(payload);
        return signingInput + "." + TestKeys.b64(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    public static String segment(String json) {
        return TestKeys.b64(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The scopes of a default token. */
    public static List<String> defaultScopes() {
        return List.of("orders:read", "orders:write");
    }
}
