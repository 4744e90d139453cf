package dev.tokenauthority.bench;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The typical access token {@link SigningAlgorithmBenchmark} signs and verifies: its header and
 * claims JSON, and its JWS signing input {@code BASE64URL(header) "." BASE64URL(payload)}
 * (RFC 7515, section 5.1), with the one-shot operations on it the raw benchmarks share.
 */
final class JwsSigningInput {

    static final String HEADER_JSON = "{\"alg\":\"EdDSA\",\"kid\":\"ta-2025-06-01-ed25519-01\",\"typ\":\"JWT\"}";
    static final String PAYLOAD_JSON = "{\"iss\":\"https://auth.tokenauthority.dev\","
            + "\"sub\":\"user:7f3c2a9e-41d2-4b8e-9c11-5e6f7a8b9c0d\",\"aud\":\"api.tokenauthority.dev\","
            + "\"exp\":4102444800,\"iat\":1735689600,\"jti\":\"b6f1c0de-2a7e-4c55\",\"scope\":\"orders:read profile\"}";

    /** 365 bytes, the size of a typical access token's JWS signing input. */
    static final byte[] BYTES = (b64(HEADER_JSON) + "." + b64(PAYLOAD_JSON)).getBytes(StandardCharsets.US_ASCII);

    private JwsSigningInput() {
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs the input with an initialised signer, whose state then resets for the next call. */
    static byte[] sign(Signature s) throws SignatureException {
        s.update(BYTES);
        return s.sign();
    }

    /** Verifies {@code sig} over the input with an initialised verifier, whose state then resets. */
    static boolean verify(Signature s, byte[] sig) throws SignatureException {
        s.update(BYTES);
        return s.verify(sig);
    }

    /** SHA-256 of the input with BC's lightweight digest (what ECDSASigner signs). */
    static byte[] sha256() {
        SHA256Digest digest = new SHA256Digest();
        digest.update(BYTES, 0, BYTES.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
