package dev.tokenauthority.sidecar.validation;

import dev.tokenauthority.sidecar.jose.VerificationKey;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies a JWS signature with Bouncy Castle's lightweight API. Stateless; signers are created per call because
 * Bouncy Castle signers buffer input and are not thread-safe.
 */
final class JwsSignatureVerifier {

    /** Both EdDSA (RFC 8032 section 5.1.6) and ES256 (RFC 7518 section 3.4, R || S) signatures are 64 bytes. */
    static final int SIGNATURE_LENGTH = 64;

    private JwsSignatureVerifier() {
    }

    /** True only if {@code signature} is a valid signature of {@code signingInput[0, length)} under {@code key}. */
    static boolean verify(VerificationKey key, byte[] signingInput, int length, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        return switch (key.algorithm()) {
            case EDDSA -> verifyEd25519((Ed25519PublicKeyParameters) key.publicKey(), signingInput, length, signature);
            case ES256 -> verifyEs256((ECPublicKeyParameters) key.publicKey(), signingInput, length, signature);
        };
    }

    private static boolean verifyEd25519(Ed25519PublicKeyParameters key, byte[] input, int length, byte[] signature) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(false, key);
        signer.update(input, 0, length);
        // Bouncy Castle rejects S >= L and non-canonical R encodings (RFC 8032 section 5.1.7), so signatures are not
        // malleable.
        return signer.verifySignature(signature);
    }

    private static boolean verifyEs256(ECPublicKeyParameters key, byte[] input, int length, byte[] signature) {
        BigInteger r = new BigInteger(1, signature, 0, 32);
        BigInteger s = new BigInteger(1, signature, 32, 32);
        // CVE-2022-21449 ("psychic signatures"): r = s = 0 verified against any key in some JDKs. ECDSA requires
        // r and s in [1, n-1] (SEC 1 section 4.1.4 step 1); check it here rather than trusting the library alone.
        BigInteger n = key.getParameters().getN();
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        SHA256Digest digest = new SHA256Digest();
        digest.update(input, 0, length);
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(hash, r, s);
    }
}
