package dev.tokenauthority.sidecar.jose;

/**
 * The signature algorithms the sidecar accepts: an allow-list, never taken from the token alone (RFC 8725 section
 * 3.1). There is deliberately no {@code none} and no HMAC member: HMAC with a public key as the secret is the classic
 * algorithm-confusion attack, and the authority only signs asymmetrically.
 */
public enum JwsAlgorithm {
    /** Ed25519 (RFC 8037 section 3.1), the authority's default. */
    EDDSA("EdDSA"),
    /** ECDSA on P-256 with SHA-256, signature as raw R || S (RFC 7518 section 3.4). */
    ES256("ES256");

    private final String joseName;

    JwsAlgorithm(String joseName) {
        this.joseName = joseName;
    }

    /** The "alg" value (RFC 7518 section 3.1, RFC 8037 section 3.1). */
    public String joseName() {
        return joseName;
    }

    /** The algorithm with this exact (case-sensitive) "alg" value, or null if it is not allowed. */
    public static JwsAlgorithm fromJoseName(String name) {
        for (JwsAlgorithm algorithm : values()) {
            if (algorithm.joseName.equals(name)) {
                return algorithm;
            }
        }
        return null;
    }
}
