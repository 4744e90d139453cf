package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_BAD_SIGNATURE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNKNOWN_KEY;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNSPECIFIED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.jose.JwkSet;
import dev.tokenauthority.sidecar.jose.StrictJsonParser;
import dev.tokenauthority.sidecar.testing.Json;
import dev.tokenauthority.sidecar.testing.TestKeys;
import dev.tokenauthority.sidecar.testing.TestTokens;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attacks of RFC 8725 (JWT best current practices) and the checks of RFC 9068 section 4: each is denied with its
 * reason, and none throws.
 */
class TokenValidatorAttackTest extends ValidatorTestSupport {

    @Test
    void aWellFormedEd25519TokenIsValid() {
        ValidationDecision decision = validate(token().build());

        assertThat(decision.valid()).isTrue();
        assertThat(decision.reason()).isEqualTo(DENIAL_REASON_UNSPECIFIED);
        assertThat(decision.claims().subject()).isEqualTo(TestTokens.SUBJECT);
        assertThat(decision.claims().scopes()).containsExactly("orders:read", "orders:write");
    }

    @Test
    void aWellFormedEs256TokenIsValid() {
        assertThat(validate(TestTokens.token(P256, NOW).build()).valid()).isTrue();
    }

    // ---- alg: RFC 8725 sections 2.1 and 3.1 ----

    @ParameterizedTest(name = "alg {0}")
    @ValueSource(strings = {"none", "None", "NONE", "nOnE", "HS256", "HS512", "RS256", "PS256", "ES384", "eddsa",
            "EDDSA", "Ed25519", ""})
    void anAlgorithmOutsideTheAllowListIsABadSignature(String alg) {
        assertThat(reason(token().header("alg", alg).build())).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
        assertThat(reason(token().header("alg", alg).build(input -> new byte[0])))
                .isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void algNoneWithoutAKidOrSignatureIsABadSignature() {
        String token = token().withoutHeader("kid").header("alg", "none").build(input -> new byte[0]);

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void anAlgThatIsNotAStringIsMalformed() {
        assertThat(reason(token().header("alg", List.of("EdDSA")).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().withoutHeader("alg").build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void hs256KeyedWithThePublicKeyBytesIsABadSignature() {
        byte[] rawPublicKey = Base64.getUrlDecoder().decode((String) ED25519.publicJwk().get("x"));
        byte[] jwksBytes = TestKeys.jwks(ED25519).getBytes(StandardCharsets.UTF_8);

        for (byte[] secret : List.of(rawPublicKey, jwksBytes)) {
            String token = token().header("alg", "HS256").build(input -> hmacSha256(secret, input));
            assertThat(reason(token)).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
        }
    }

    @Test
    void theRightKeyWithTheWrongAlgorithmIsABadSignature() {
        assertThat(reason(token().header("alg", "ES256").build())).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
        assertThat(reason(TestTokens.token(P256, NOW).header("alg", "EdDSA").build()))
                .isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void aTokenSignedByOneKeyButNamingAnotherIsABadSignature() {
        String token = token().header("kid", P256.kid()).header("alg", "ES256").signedBy(TestKeys.p256("x")).build();

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    // ---- kid ----

    @ParameterizedTest(name = "kid {0}")
    @ValueSource(strings = {"ed-2026-04", "../../../../etc/passwd", "/dev/null", "' OR '1'='1' --",
            "ed-2026-03'; DROP TABLE signing_keys; --", "ed-2026-03\u0000", "ED-2026-03", "${jndi:ldap://x/a}"})
    void anUnpublishedOrInjectedKidIsAnUnknownKey(String kid) {
        assertThat(reason(token().header("kid", kid).build())).isEqualTo(DENIAL_REASON_UNKNOWN_KEY);
    }

    @Test
    void aKidOfExactly256CharactersIsMerelyUnknown() {
        assertThat(reason(token().header("kid", "k".repeat(256)).build())).isEqualTo(DENIAL_REASON_UNKNOWN_KEY);
    }

    @Test
    void aKidOver256CharactersIsMalformed() {
        assertThat(reason(token().header("kid", "k".repeat(257)).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("kid", "../".repeat(3500)).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void aMissingEmptyOrNonStringKidIsMalformed() {
        assertThat(reason(token().withoutHeader("kid").build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("kid", "").build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("kid", 7).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("kid", null).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    // ---- keys from the header: RFC 8725 section 3.10 ----

    @ParameterizedTest(name = "header {0}")
    @ValueSource(strings = {"jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "cty", "zip", "b64"})
    void aHeaderCarryingAKeyReferenceOrAnyUnexpectedMemberIsMalformed(String member) {
        assertThat(reason(token().header(member, "https://attacker.example/keys").build()))
                .isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void anEmbeddedJwkNeverVerifiesATokenSignedWithIt() {
        TestKeys.SigningKey attacker = TestKeys.ed25519(ED25519.kid());
        String token = token().header("jwk", attacker.publicJwk()).signedBy(attacker).build();

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_MALFORMED);
        // Without the jwk member it is just a signature by an unknown private key.
        assertThat(reason(token().signedBy(attacker).build())).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void anyCritHeaderIsMalformed() {
        assertThat(reason(token().header("crit", List.of("exp")).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("crit", List.of()).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("crit", List.of("urn:example:ext")).header("urn:example:ext", true)
                .build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    // ---- typ: RFC 9068 section 4 ----

    @ParameterizedTest(name = "typ {0}")
    @ValueSource(strings = {"at+jwt", "AT+JWT", "At+Jwt", "application/at+jwt", "Application/AT+JWT"})
    void theAccessTokenTypInAnyCaseIsAccepted(String typ) {
        assertThat(validate(token().header("typ", typ).build()).valid()).isTrue();
    }

    @ParameterizedTest(name = "typ {0}")
    @ValueSource(strings = {"JWT", "jwt", "application/jwt", "at+jwt ", " at+jwt", "at-jwt", "secevent+jwt",
            "application/at+jwt; charset=utf-8", ""})
    void anyOtherTypIsMalformed(String typ) {
        assertThat(reason(token().header("typ", typ).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void aMissingOrNonStringTypIsMalformed() {
        assertThat(reason(token().withoutHeader("typ").build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("typ", true).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    // ---- signature ----

    @Test
    void aTamperedPayloadIsABadSignature() {
        String genuine = token().build();
        String forgedPayload = TestTokens.segment(Json.write(token().claim("sub", "usr_admin").claims()));
        String[] parts = genuine.split("\\.");

        assertThat(reason(parts[0] + "." + forgedPayload + "." + parts[2])).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void aTamperedPayloadIsABadSignatureEvenWhileTheGenuineTokenIsCached() {
        // The cache picks buckets by the token's tail (its signature), which both share; only
        // the whole text may make a hit.
        String genuine = token().build();
        assertThat(validate(genuine).valid()).isTrue();
        String forgedPayload = TestTokens.segment(Json.write(token().claim("sub", "usr_admin").claims()));
        String[] parts = genuine.split("\\.");

        assertThat(reason(parts[0] + "." + forgedPayload + "." + parts[2])).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
        assertThat(validate(genuine).valid()).isTrue();
    }

    @Test
    void aStrippedSignatureIsABadSignature() {
        String genuine = token().build();

        assertThat(reason(genuine.substring(0, genuine.lastIndexOf('.') + 1))).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void aSignatureMovedFromAnotherTokenIsABadSignature() {
        String victim = token().build();
        String mine = token().claim("sub", "usr_other").build();
        String moved = mine.substring(0, mine.lastIndexOf('.')) + victim.substring(victim.lastIndexOf('.'));

        assertThat(reason(moved)).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void everyBitFlippedSignatureIsABadSignature() {
        for (TestKeys.SigningKey key : List.of(ED25519, P256)) {
            String genuine = TestTokens.token(key, NOW).build();
            int dot = genuine.lastIndexOf('.');
            byte[] signature = Base64.getUrlDecoder().decode(genuine.substring(dot + 1));
            for (int bit = 0; bit < signature.length * 8; bit += 7) {
                byte[] flipped = signature.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThat(reason(genuine.substring(0, dot + 1) + TestKeys.b64(flipped)))
                        .as("bit %d of %s", bit, key.alg())
                        .isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
            }
        }
    }

    @Test
    void aSignatureOfTheWrongLengthIsABadSignature() {
        assertThat(reason(token().build(input -> new byte[63]))).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
        assertThat(reason(token().build(input -> new byte[65]))).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
        assertThat(reason(TestTokens.token(P256, NOW).build(input -> {
            byte[] der = new byte[72]; // a DER-encoded ECDSA signature is not the JOSE format
            der[0] = 0x30;
            return der;
        }))).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void anEcdsaSignatureWithRAndSZeroIsABadSignature() {
        // CVE-2022-21449: r = s = 0 "verified" against any key.
        assertThat(reason(TestTokens.token(P256, NOW).build(input -> new byte[64])))
                .isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void anEcdsaSignatureWithROrSEqualToTheGroupOrderIsABadSignature() {
        byte[] n = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, JwkSet.P256.getN());
        byte[] nn = new byte[64];
        System.arraycopy(n, 0, nn, 0, 32);
        System.arraycopy(n, 0, nn, 32, 32);

        assertThat(reason(TestTokens.token(P256, NOW).build(input -> nn))).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void anEcdsaSignatureWithHighSIsAcceptedBecauseJoseDoesNotRequireLowS() {
        String token = TestTokens.token(P256, NOW).build(input -> {
            byte[] signature = P256.sign(input);
            BigInteger s = new BigInteger(1, signature, 32, 32);
            byte[] highS = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, JwkSet.P256.getN().subtract(s));
            System.arraycopy(highS, 0, signature, 32, 32);
            return signature;
        });

        assertThat(validate(token).valid()).isTrue();
    }

    @Test
    void anEd25519SignatureWithSPlusTheGroupOrderIsABadSignature() {
        // RFC 8032 section 5.1.7: S must be below L, otherwise signatures are malleable.
        BigInteger order = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        String token = token().build(input -> {
            byte[] signature = ED25519.sign(input);
            byte[] sLittleEndian = java.util.Arrays.copyOfRange(signature, 32, 64);
            BigInteger s = new BigInteger(1, reverse(sLittleEndian)).add(order);
            byte[] bigEndian = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, s);
            System.arraycopy(reverse(bigEndian), 0, signature, 32, 32);
            return signature;
        });

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
    }

    // ---- shape and encoding ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", ".", "..", "...", "not a token", "Bearer abc.def.ghi", "a.b", "a.b.c", "e30.e30.",
            "eyJhbGciOiJFZERTQSJ9", "\u0000", "ey.ey.ey", "é.é.é"})
    void garbageIsMalformed(String garbage) {
        assertThat(reason(garbage)).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void aNullTokenIsMalformed() {
        assertThat(validator.validate(null, null, null).reason()).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void twoFourAndFiveSegmentsAreMalformed() {
        String genuine = token().build();
        String[] parts = genuine.split("\\.");

        assertThat(reason(parts[0] + "." + parts[1])).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(genuine + "." + parts[2])).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(genuine + ".")).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(parts[0] + "." + parts[1] + ".." + parts[2] + "." + parts[2]))
                .isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void aOneMegabyteTokenIsMalformed() {
        String huge = token().claim("padding", "x".repeat(1 << 20)).build();

        assertThat(reason(huge)).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void aTokenJustUnderTheSizeLimitIsStillVerified() {
        String padded = token().claim("padding", "x".repeat(11_000)).build();

        assertThat(padded.length()).isLessThanOrEqualTo(SidecarTokenVerifier.MAX_TOKEN_LENGTH);
        assertThat(validate(padded).valid()).isTrue();
    }

    @Test
    void paddingOrNonAlphabetCharactersInAnySegmentAreMalformed() {
        String genuine = token().build();
        String[] parts = genuine.split("\\.");

        assertThat(reason(genuine + "==")).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(parts[0] + "=." + parts[1] + "." + parts[2])).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(parts[0] + "." + parts[1] + "." + parts[2].replace('-', '+').replace('_', '/')
                + (parts[2].contains("-") || parts[2].contains("_") ? "" : "+"))).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(parts[0] + " ." + parts[1] + "." + parts[2])).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(parts[0] + "." + parts[1] + "\n." + parts[2])).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void aSignatureWithNonZeroTrailingBitsIsMalformedEvenThoughLenientDecodersAcceptIt() {
        String genuine = token().build();
        int dot = genuine.lastIndexOf('.');
        String signature = genuine.substring(dot + 1); // 64 bytes: 86 characters, the last carries 2 data bits
        char last = signature.charAt(signature.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String nonCanonical = signature.substring(0, signature.length() - 1)
                + alphabet.charAt(alphabet.indexOf(last) | 1);

        assertThat(Base64.getUrlDecoder().decode(nonCanonical)).isEqualTo(Base64.getUrlDecoder().decode(signature));
        assertThat(reason(genuine.substring(0, dot + 1) + nonCanonical)).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void invalidUtf8InTheHeaderOrPayloadIsMalformed() {
        byte[] overlongSlash = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] truncated = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'};

        for (byte[] payload : List.of(overlongSlash, encodedSurrogate, truncated)) {
            assertThat(reason(token().buildWithPayloadBytes(payload))).isEqualTo(DENIAL_REASON_MALFORMED);
        }
        String genuine = token().build();
        assertThat(reason(TestKeys.b64(overlongSlash) + genuine.substring(genuine.indexOf('.'))))
                .isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void aHeaderThatIsNotAJsonObjectIsMalformed() {
        for (String header : List.of("[]", "\"EdDSA\"", "null", "{", "{}x", "\uFEFF{\"alg\":\"EdDSA\"}")) {
            assertThat(reason(token().rawHeader(header).build())).as(header).isEqualTo(DENIAL_REASON_MALFORMED);
        }
    }

    @Test
    void duplicateHeaderMembersAreMalformed() {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"" + ED25519.kid() + "\",\"typ\":\"at+jwt\",\"alg\":\"none\"}";

        assertThat(reason(token().rawHeader(header).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void deeplyNestedJsonIsMalformed() {
        String deep = "[".repeat(1000) + "]".repeat(1000);

        assertThat(reason(token().claim("x", new Json.Raw(deep)).build()))
                .isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().header("x", new Json.Raw(deep)).build()))
                .isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void nestingUpToTheLimitIsParsedAndOneMoreLevelIsNot() {
        int arrays = StrictJsonParser.MAX_DEPTH - 1; // the claims object itself is the first level
        String atLimit = "[".repeat(arrays) + "]".repeat(arrays);
        String overLimit = "[".repeat(arrays + 1) + "]".repeat(arrays + 1);

        assertThat(validate(token().claim("x", new Json.Raw(atLimit)).build())
                .valid()).isTrue();
        assertThat(reason(token().claim("x", new Json.Raw(overLimit)).build()))
                .isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void changingAnySingleCharacterOfAValidTokenNeverYieldsAValidDecisionOrAnException() {
        String genuine = token().build();
        for (int i = 0; i < genuine.length(); i++) {
            char replacement = genuine.charAt(i) == 'A' ? 'B' : 'A';
            String mutated = genuine.substring(0, i) + replacement + genuine.substring(i + 1);
            assertThat(validate(mutated).valid()).as("position %d", i).isFalse();
        }
    }

    @Test
    void aValidTokenWithExtraUnknownClaimsIsAccepted() {
        assertThat(validate(token().claim("ext", Map.of("tenant", "acme")).build()).valid()).isTrue();
    }

    private static byte[] hmacSha256(byte[] key, byte[] input) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(input, 0, input.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
