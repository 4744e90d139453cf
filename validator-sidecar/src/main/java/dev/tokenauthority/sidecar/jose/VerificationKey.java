package dev.tokenauthority.sidecar.jose;

import java.util.Arrays;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * One public key from the authority's JWK set, already decoded and validated.
 *
 * <p>Equality is identity of the decoded key object (Bouncy Castle key parameters do not override equals): the
 * verified-token cache uses that to notice when the key it verified a token with has left the JWK set or changed.
 * {@link JwkSet#keepingUnchanged} carries the same object over to a new set when the key is unchanged, so a new set
 * does not turn cached tokens of unchanged keys into misses.
 *
 * @param kid the JWK "kid" (RFC 7517 section 4.5)
 * @param algorithm the only algorithm this key may verify, from its kty/crv (and "alg" if published)
 * @param publicKey an {@code Ed25519PublicKeyParameters} or P-256 {@code ECPublicKeyParameters}
 */
public record VerificationKey(String kid, JwsAlgorithm algorithm, AsymmetricKeyParameter publicKey) {

    /** Whether {@code other} is the same published key: same kid, algorithm and public key bytes. */
    boolean sameKeyAs(VerificationKey other) {
        return other != null && kid.equals(other.kid()) && algorithm == other.algorithm()
                && Arrays.equals(encoded(publicKey), encoded(other.publicKey()));
    }

    private static byte[] encoded(AsymmetricKeyParameter key) {
        if (key instanceof Ed25519PublicKeyParameters ed25519) {
            return ed25519.getEncoded();
        }
        if (key instanceof ECPublicKeyParameters ec) {
            return ec.getQ().getEncoded(false);
        }
        throw new IllegalArgumentException("unsupported key type " + key.getClass().getSimpleName());
    }
}
