package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_BAD_SIGNATURE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.jose.JwkSet;
import dev.tokenauthority.sidecar.testing.Json;
import dev.tokenauthority.sidecar.testing.TestKeys;
import dev.tokenauthority.sidecar.testing.TestTokens;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forged, moved, stripped and malleated signatures (RFC 8725): each is denied with its reason, and none throws. */
class TokenValidatorSignatureAttackTest extends ValidatorTestSupport {

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

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
