package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_BAD_SIGNATURE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNKNOWN_KEY;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNSPECIFIED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.testing.TestKeys;
import dev.tokenauthority.sidecar.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The header attacks of RFC 8725 (JWT best current practices) and the typ check of RFC 9068 section 4: alg, kid, keys
 * carried in the header, crit and typ. Each is denied with its reason, and none throws.
 */
class TokenValidatorHeaderAttackTest extends ValidatorTestSupport {

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

    private static byte[] hmacSha256(byte[] key, byte[] input) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(input, 0, input.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }
}
