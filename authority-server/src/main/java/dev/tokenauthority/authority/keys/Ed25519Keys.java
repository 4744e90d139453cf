package dev.tokenauthority.authority.keys;

import dev.tokenauthority.authority.crypto.BouncyCastle;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Generation and (de)serialisation of Ed25519 keys (RFC 8037). EdDSA was chosen by measurement:
 * see docs/signing-algorithm.md.
 */
final class Ed25519Keys {

    static final String ALG = "EdDSA";

    private Ed25519Keys() {}

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JVM", e);
        }
    }

    /** The PKCS#8 encoding of a private key. */
    static PrivateKey decodePrivate(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("Ed25519", BouncyCastle.PROVIDER)
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key cannot be decoded", e);
        }
    }

    /** The raw key for Bouncy Castle's Ed25519 signer, with its public key computed (and cached) now. */
    static Ed25519PrivateKeyParameters signingParameters(PrivateKey key) {
        try {
            byte[] seed = ASN1OctetString.getInstance(PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey())
                    .getOctets();
            Ed25519PrivateKeyParameters parameters = new Ed25519PrivateKeyParameters(seed, 0);
            parameters.generatePublicKey();
            return parameters;
        } catch (IOException e) {
            throw new IllegalStateException("stored signing key cannot be decoded", e);
        }
    }

    /** The public JWK with kid = its RFC 7638 thumbprint, alg and use set. */
    static PublicJsonWebKey publicJwk(KeyPair pair) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            jwk.setAlgorithm(ALG);
            jwk.setUse("sig");
            return jwk;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot build the JWK of a new key", e);
        }
    }

    static OctetKeyPairJsonWebKey parsePublicJwk(String json) {
        try {
            return (OctetKeyPairJsonWebKey) JsonWebKey.Factory.newJwk(json);
        } catch (JoseException e) {
            throw new IllegalStateException("stored public JWK cannot be parsed", e);
        }
    }

    static String toPublicJson(PublicJsonWebKey jwk) {
        return jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
}
