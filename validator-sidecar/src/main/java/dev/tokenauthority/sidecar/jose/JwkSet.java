package dev.tokenauthority.sidecar.jose;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The authority's published verification keys, indexed by kid; immutable.
 *
 * <p>Keys come only from here, never from a token header (RFC 8725 section 3.10). {@link #parse} is strict about the
 * keys it can use and rejects the whole set, keeping the caller's previous one, rather than silently dropping a
 * malformed key of a supported type:
 * <ul>
 *   <li>OKP / Ed25519 with a 32-byte "x" (RFC 8037 section 2);</li>
 *   <li>EC / P-256 with 32-byte "x" and "y" that form a point on the curve (RFC 7518 section 6.2.1; an off-curve
 *   point enables invalid-curve attacks);</li>
 *   <li>"alg", when present, must be the one the key type implies (RFC 7517 section 4.4);</li>
 *   <li>a private part ("d") or a duplicate kid rejects the set.</li>
 * </ul>
 * Keys of other types (RSA, symmetric "oct") and keys with "use" other than "sig" are skipped: they cannot verify our
 * tokens, and an "oct" key must never become an HMAC secret.
 */
public final class JwkSet {

    private static final JwkSet EMPTY = new JwkSet(Map.of());

    /** P-256 via Bouncy Castle's constant-time custom curve implementation. */
    public static final ECDomainParameters P256;

    static {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        P256 = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH(), curve.getSeed());
    }

    private final Map<String, VerificationKey> keysById;

    private JwkSet(Map<String, VerificationKey> keysById) {
        this.keysById = keysById;
    }

    /** A set with no keys: every token is UNKNOWN_KEY until keys arrive from the feed. */
    public static JwkSet empty() {
        return EMPTY;
    }

    /**
     * Parses a JWK set document (RFC 7517 section 5).
     *
     * @throws IllegalArgumentException if the document or a key of a supported type is invalid; the message never
     *     contains key material
     */
    public static JwkSet parse(String jwksJson) {
        Map<String, Object> document;
        try {
            document = StrictJsonParser.parseObject(jwksJson);
        } catch (StrictJsonParser.JsonSyntaxException e) {
            throw new IllegalArgumentException("JWK set is not valid JSON: " + e.getMessage());
        }
        if (!(document.get("keys") instanceof List<?> keys)) {
            throw new IllegalArgumentException("JWK set has no \"keys\" array");
        }
        Map<String, VerificationKey> byId = new HashMap<>();
        for (Object element : keys) {
            if (!(element instanceof Map<?, ?> jwk)) {
                throw new IllegalArgumentException("JWK set contains a non-object key");
            }
            VerificationKey key = toKey(jwk);
            if (key != null && byId.putIfAbsent(key.kid(), key) != null) {
                throw new IllegalArgumentException("JWK set contains a duplicate kid");
            }
        }
        return new JwkSet(Map.copyOf(byId));
    }

    /**
     * This set, with every key that {@code previous} holds unchanged (same kid, algorithm and public key) replaced by
     * {@code previous}'s object. The verified-token cache compares key objects by identity, so tokens verified with
     * a key that stays in the set keep hitting the cache, while a removed or changed key's tokens miss and are
     * verified again, against this set.
     */
    public JwkSet keepingUnchanged(JwkSet previous) {
        if (previous == null || previous.keysById.isEmpty()) {
            return this;
        }
        Map<String, VerificationKey> byId = new HashMap<>(keysById);
        byId.replaceAll((kid, key) -> key.sameKeyAs(previous.find(kid)) ? previous.find(kid) : key);
        return new JwkSet(Map.copyOf(byId));
    }

    /** The key published under this kid, or null. */
    public VerificationKey find(String kid) {
        return keysById.get(kid);
    }

    /** How many usable keys the set holds. */
    public int size() {
        return keysById.size();
    }

    private static VerificationKey toKey(Map<?, ?> jwk) {
        Object kty = jwk.get("kty");
        Object use = jwk.get("use");
        if (use != null && !"sig".equals(use)) {
            return null;
        }
        if (!"OKP".equals(kty) && !"EC".equals(kty)) {
            return null;
        }
        if (jwk.containsKey("d")) {
            throw new IllegalArgumentException("JWK set contains private key material");
        }
        if (!(jwk.get("kid") instanceof String kid) || kid.isEmpty()) {
            throw new IllegalArgumentException("JWK without a kid");
        }
        return "OKP".equals(kty) ? ed25519(kid, jwk) : p256(kid, jwk);
    }

    private static VerificationKey ed25519(String kid, Map<?, ?> jwk) {
        if (!"Ed25519".equals(jwk.get("crv"))) {
            return null; // X25519 or Ed448: not a key we verify with
        }
        checkAlg(jwk, JwsAlgorithm.EDDSA);
        byte[] x = coordinate(jwk, "x", Ed25519PublicKeyParameters.KEY_SIZE);
        try {
            return new VerificationKey(kid, JwsAlgorithm.EDDSA, new Ed25519PublicKeyParameters(x));
        } catch (IllegalArgumentException notAPoint) {
            throw new IllegalArgumentException("JWK " + kid + " is not a valid Ed25519 public key");
        }
    }

    private static VerificationKey p256(String kid, Map<?, ?> jwk) {
        if (!"P-256".equals(jwk.get("crv"))) {
            return null;
        }
        checkAlg(jwk, JwsAlgorithm.ES256);
        byte[] x = coordinate(jwk, "x", 32);
        byte[] y = coordinate(jwk, "y", 32);
        try {
            // createPoint + the ECPublicKeyParameters constructor check the point is on the curve and not infinity.
            var point = P256.getCurve().createPoint(new BigInteger(1, x), new BigInteger(1, y));
            return new VerificationKey(kid, JwsAlgorithm.ES256, new ECPublicKeyParameters(point, P256));
        } catch (IllegalArgumentException notOnCurve) {
            throw new IllegalArgumentException("JWK " + kid + " is not a valid P-256 public key");
        }
    }

    private static void checkAlg(Map<?, ?> jwk, JwsAlgorithm implied) {
        Object alg = jwk.get("alg");
        if (alg != null && !implied.joseName().equals(alg)) {
            throw new IllegalArgumentException("JWK alg does not match its key type");
        }
    }

    private static byte[] coordinate(Map<?, ?> jwk, String member, int length) {
        byte[] bytes = jwk.get(member) instanceof String text ? Base64Url.decode(text) : null;
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException("JWK member " + member + " must be " + length + " base64url bytes");
        }
        return bytes;
    }
}
