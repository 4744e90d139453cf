package dev.tokenauthority.authority.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The authority's signing keys: each key pair with its private key sealed under a KEK, and when it
 * was created, retired, revoked and withdrawn from the JWK set.
 */
public interface SigningKeyStore {

    /**
     * A stored key pair. {@code privateKeySealed} is the private key sealed under the KEK {@code kekId}
     * (see keys.KeyEncryptionKeys); {@code privateKey}, the base64 PKCS#8 encoding in the clear, is only
     * ever set on a row written before V12, until the next start-up seals it.
     */
    record SigningKeyRow(String kid, String alg, String privateKey, String privateKeySealed, String kekId,
            String publicJwk, Instant createdAt, Instant retiredAt, Instant revokedAt, Instant withdrawnAt) {

        public boolean isPlaintext() {
            return privateKey != null;
        }

        @Override
        public String toString() {
            return "SigningKeyRow[" + kid + ", sealed by " + kekId + "]";
        }
    }

    void insert(String kid, String alg, String privateKeySealed, String kekId, String publicJwk, Instant createdAt);

    /** Every key, newest first. */
    List<SigningKeyRow> findAll();

    Optional<SigningKeyRow> find(String kid);

    /**
     * Stores a key's private key sealed anew (under another KEK, or for the first time) and clears the plaintext
     * column. Callers hold {@link #lockAuthorityState()}, so no replica reseals the same row at the same time.
     */
    int reseal(String kid, String privateKeySealed, String kekId);

    int retireAllExcept(String currentKid, Instant at);

    /** Revokes a retired key and marks its removal from the JWK set as announced; 0 if it is current or revoked. */
    int revoke(String kid, Instant at);

    /** Marks a key's removal from the JWK set as announced on the revocation log. */
    int markWithdrawn(String kid, Instant at);

    /**
     * Lets earlier SIGNING_KEYS log entries be compacted once {@code until} has passed: a newer entry replaces the
     * whole set, so a subscriber resuming after them loses nothing. The newest entry never expires, so no
     * subscriber can resume past the last change of the key set without receiving it.
     */
    int supersedeKeySetEntries(Instant until);

    /** Serialises key creation across replicas: the first to lock creates the key, the others see it. */
    void lockAuthorityState();
}
