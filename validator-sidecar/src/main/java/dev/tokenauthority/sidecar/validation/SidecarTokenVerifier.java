package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_BAD_SIGNATURE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNKNOWN_KEY;

import dev.tokenauthority.sidecar.jose.Base64Url;
import dev.tokenauthority.sidecar.jose.JwkSet;
import dev.tokenauthority.sidecar.jose.JwsAlgorithm;
import dev.tokenauthority.sidecar.jose.StrictJsonParser;
import dev.tokenauthority.sidecar.jose.VerificationKey;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Parses and verifies a JWS compact serialization (RFC 7515 section 7.1) carrying an access token, in the order
 * "cheapest and least trusting first": shape, header, key, signature, and only then the claims (so unauthenticated
 * claims JSON is never parsed).
 *
 * <p>Denial mapping (the proto's {@code DenialReason}), checked in this order:
 * <ul>
 *   <li>MALFORMED: over {@value #MAX_TOKEN_LENGTH} characters, not exactly three segments, non-canonical base64url,
 *   invalid UTF-8, a header that is not a duplicate-free JSON object, alg missing or not a string;</li>
 *   <li>BAD_SIGNATURE: alg not exactly EdDSA or ES256 (so none, None, HS256...: RFC 8725 section 3.1);</li>
 *   <li>MALFORMED: typ not at+jwt / application/at+jwt in any case (RFC 9068 section 4); any header member other
 *   than alg, kid and typ, which covers jwk, jku, x5u, x5c, x5t, x5t#S256 (keys are never taken from the token,
 *   RFC 8725 section 3.10) and crit (RFC 7515 section 4.1.11: reject unknown critical extensions; we know none);
 *   kid missing, empty or over {@value #MAX_KID_LENGTH} characters;</li>
 *   <li>UNKNOWN_KEY: a well-formed kid that is not in the current JWK set; a hostile kid (path, SQL) is only ever a
 *   map lookup, so it is simply unknown;</li>
 *   <li>BAD_SIGNATURE: alg not the algorithm of the key the kid names (algorithm confusion, RFC 8725 section 2.1), a
 *   signature that is not 64 bytes, or one that does not verify;</li>
 *   <li>MALFORMED: claims that are not a duplicate-free JSON object, or any claim missing, mistyped or out of range
 *   ({@link AccessTokenClaimsReader}).</li>
 * </ul>
 *
 * <p>The rule has two implementations, named for where they run. This is the sidecar's, from the key set the feed
 * delivered; {@link TokenValidator} then applies time, issuer, audience, scopes and the revocation state. The
 * authority's is {@code AuthorityTokenVerifier} (the authority's {@code verification} package), against the database.
 * The liveness cases both must decide alike are one table, {@code DenialCases} in the authority's test-jar, run against
 * both by the sidecar's {@code LivenessContract}.
 */
final class SidecarTokenVerifier {

    /** Tokens longer than this are rejected before any decoding; ours are well under 2 KiB. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    /** Longer kids are MALFORMED; the authority's are short identifiers. */
    static final int MAX_KID_LENGTH = 256;

    private static final Set<String> ALLOWED_HEADER_MEMBERS = Set.of("alg", "kid", "typ");

    private SidecarTokenVerifier() {
    }

    /** The verified claims and the key that verified them. */
    record Verified(AccessTokenClaims claims, VerificationKey key) {
    }

    /** Verifies {@code token} against {@code keys}; throws {@link TokenRejection} with the denial reason. */
    static Verified verify(String token, JwkSet keys) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        byte[] headerBytes = decodeSegment(token, 0, firstDot);
        byte[] payloadBytes = decodeSegment(token, firstDot + 1, secondDot);
        byte[] signature = decodeSegment(token, secondDot + 1, token.length());

        Map<String, Object> header = parseJsonObject(headerBytes);
        VerificationKey key = checkHeaderAndFindKey(header, keys);

        // The signing input is the ASCII of "header.payload" (RFC 7515 section 5.2 step 8); every character was just
        // checked to be in the base64url alphabet, so ISO-8859-1 encoding is exact and cheap.
        byte[] signingInput = token.getBytes(StandardCharsets.ISO_8859_1);
        if (!JwsSignatureVerifier.verify(key, signingInput, secondDot, signature)) {
            throw TokenRejection.of(DENIAL_REASON_BAD_SIGNATURE);
        }
        return new Verified(AccessTokenClaimsReader.read(parseJsonObject(payloadBytes)), key);
    }

    /** In the order alg, typ, other members (crit, jwk, jku, x5u, x5c, ...), kid, as the mapping above states. */
    private static VerificationKey checkHeaderAndFindKey(Map<String, Object> header, JwkSet keys) {
        if (!(header.get("alg") instanceof String alg)) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        JwsAlgorithm algorithm = JwsAlgorithm.fromJoseName(alg);
        if (algorithm == null) {
            throw TokenRejection.of(DENIAL_REASON_BAD_SIGNATURE);
        }
        // RFC 7515 section 4.1.9 says typ is compared case-insensitively; RFC 9068 section 4 names both forms.
        if (!(header.get("typ") instanceof String typ)
                || !(typ.equalsIgnoreCase("at+jwt") || typ.equalsIgnoreCase("application/at+jwt"))) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        if (!ALLOWED_HEADER_MEMBERS.containsAll(header.keySet())) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        if (!(header.get("kid") instanceof String kid) || kid.isEmpty() || kid.length() > MAX_KID_LENGTH) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        VerificationKey key = keys.find(kid);
        if (key == null) {
            throw TokenRejection.of(DENIAL_REASON_UNKNOWN_KEY);
        }
        if (key.algorithm() != algorithm) {
            throw TokenRejection.of(DENIAL_REASON_BAD_SIGNATURE);
        }
        return key;
    }

    private static byte[] decodeSegment(String token, int from, int to) {
        byte[] bytes = Base64Url.decode(token, from, to);
        if (bytes == null) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        return bytes;
    }

    private static Map<String, Object> parseJsonObject(byte[] utf8) {
        try {
            return StrictJsonParser.parseObject(decodeUtf8(utf8));
        } catch (StrictJsonParser.JsonSyntaxException e) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
    }

    /** RFC 7515 section 2 requires UTF-8; overlong forms, encoded surrogates and truncated sequences are rejected. */
    private static String decodeUtf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
    }
}
