package dev.tokenauthority.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;

/**
 * Keys and initialised JCA signers for {@link SigningAlgorithmBenchmark}: every variant gets keys
 * its own provider generated, named explicitly so that the provider order does not choose.
 */
final class SigningKeys {

    private SigningKeys() {
    }

    /** RSA 2048 from the JDK provider SunRsaSign. */
    static KeyPair rsa2048(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }

    /** An EC key pair on P-256 (secp256r1) from {@code provider}. */
    static KeyPair p256(String provider, SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    static KeyPair ed25519(String provider) throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519", provider).generateKeyPair();
    }

    /** A P-256 key pair from BC's lightweight API (no JCA), for its {@code ECDSASigner}. */
    static AsymmetricCipherKeyPair bcLightweightP256(SecureRandom random) {
        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters domain = new ECDomainParameters(p256.getCurve(), p256.getG(), p256.getN(), p256.getH());
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        return generator.generateKeyPair();
    }

    /** A signer initialised once; {@code random} null for deterministic schemes (Ed25519). */
    static Signature signer(String algorithm, String provider, PrivateKey key, SecureRandom random)
            throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm, provider);
        if (random == null) {
            s.initSign(key);
        } else {
            s.initSign(key, random);
        }
        return s;
    }

    static Signature verifier(String algorithm, String provider, PublicKey key) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm, provider);
        s.initVerify(key);
        return s;
    }
}
