package dev.tokenauthority.sidecar.validation;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * One public key from the authority's JWK set, already decoded and validated.
 *
 * <p>Equality is identity of the decoded key object (Bouncy Castle key parameters do not override equals): the
 * verified-token cache uses that to notice when the JWK set it verified a token against has been replaced.
 *
 * @param kid the JWK "kid" (RFC 7517 section 4.5)
 * @param algorithm the only algorithm this key may verify, from its kty/crv (and "alg" if published)
 * @param publicKey an {@code Ed25519PublicKeyParameters} or P-256 {@code ECPublicKeyParameters}
 */
public record VerificationKey(String kid, JwsAlgorithm algorithm, AsymmetricKeyParameter publicKey) {
}
