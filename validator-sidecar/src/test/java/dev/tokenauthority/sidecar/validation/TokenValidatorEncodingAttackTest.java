package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.jose.StrictJsonParser;
import dev.tokenauthority.sidecar.testing.Json;
import dev.tokenauthority.sidecar.testing.TestKeys;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokens of the wrong shape or encoding: segments, size, base64url, UTF-8 and JSON (RFC 8725). Each is denied with its
 * reason, and none throws.
 */
class TokenValidatorEncodingAttackTest extends ValidatorTestSupport {

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
}
