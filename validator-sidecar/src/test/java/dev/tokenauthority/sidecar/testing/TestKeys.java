package dev.tokenauthority.sidecar.testing;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/** Signing keys for tests, made with Bouncy Castle, and the JWK set that publishes their public halves. */
public final class TestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ECDomainParameters P256;

    static {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        P256 = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    }

    /** A signing key: signs JWS input and describes itself as a public JWK. */
    public interface SigningKey {
        String kid();

        String alg();

        byte[] sign(byte[] input);

        Map<String, Object> publicJwk();
    }

    /** A fresh Ed25519 key. */
    public static SigningKey ed25519(String kid) {
        return ed25519(kid, new Ed25519PrivateKeyParameters(RANDOM));
    }

    /** An existing Ed25519 private key under {@code kid}: say, an authority's key that leaked. */
    public static SigningKey ed25519(String kid, Ed25519PrivateKeyParameters privateKey) {
        byte[] x = privateKey.generatePublicKey().getEncoded();
        return new SigningKey() {
            public String kid() {
                return kid;
            }

            public String alg() {
                return "EdDSA";
            }

            public byte[] sign(byte[] input) {
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(true, privateKey);
                signer.update(input, 0, input.length);
                return signer.generateSignature();
            }

            public Map<String, Object> publicJwk() {
                Map<String, Object> jwk = new LinkedHashMap<>();
                jwk.put("kty", "OKP");
                jwk.put("crv", "Ed25519");
                jwk.put("kid", kid);
                jwk.put("use", "sig");
                jwk.put("alg", "EdDSA");
                jwk.put("x", b64(x));
                return jwk;
            }
        };
    }

    /** A fresh P-256 key; signatures are JOSE R || S (RFC 7518 section 3.4). */
    public static SigningKey p256(String kid) {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(P256, RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        ECPrivateKeyParameters privateKey = (ECPrivateKeyParameters) pair.getPrivate();
        ECPublicKeyParameters publicKey = (ECPublicKeyParameters) pair.getPublic();
        return new SigningKey() {
            public String kid() {
                return kid;
            }

            public String alg() {
                return "ES256";
            }

            public byte[] sign(byte[] input) {
                SHA256Digest digest = new SHA256Digest();
                digest.update(input, 0, input.length);
                byte[] hash = new byte[32];
                digest.doFinal(hash, 0);
                ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                signer.init(true, privateKey);
                BigInteger[] rs = signer.generateSignature(hash);
                byte[] out = new byte[64];
                System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, out, 0, 32);
                System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[1]), 0, out, 32, 32);
                return out;
            }

            public Map<String, Object> publicJwk() {
                var point = publicKey.getQ().normalize();
                Map<String, Object> jwk = new LinkedHashMap<>();
                jwk.put("kty", "EC");
                jwk.put("crv", "P-256");
                jwk.put("kid", kid);
                jwk.put("x", b64(BigIntegers.asUnsignedByteArray(32, point.getAffineXCoord().toBigInteger())));
                jwk.put("y", b64(BigIntegers.asUnsignedByteArray(32, point.getAffineYCoord().toBigInteger())));
                return jwk;
            }
        };
    }

    /** The JWK set document publishing these keys. */
    public static String jwks(SigningKey... keys) {
        List<Object> jwks = new ArrayList<>();
        for (SigningKey key : keys) {
            jwks.add(key.publicJwk());
        }
        return Json.write(Map.of("keys", jwks));
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private TestKeys() {
    }
}
