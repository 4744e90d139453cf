package dev.tokenauthority.authority.keys;

import java.time.Instant;
import java.util.Optional;

/** The deployment's one key for deriving refresh-token successor secrets (V8), sealed under a KEK (V13). */
public interface SuccessorKeyStore {

    /**
     * The stored key: {@code secretSealed} sealed under the KEK {@code kekId}, or, on a row written before V13,
     * {@code secret} in the clear (base64url) until the next start seals it.
     */
    record SuccessorKeyRow(String secret, String secretSealed, String kekId) {
        public boolean isPlaintext() {
            return secret != null;
        }
    }

    /** The key, its row locked until the transaction ends; empty before the first start stored one. */
    Optional<SuccessorKeyRow> findForUpdate();

    /**
     * Stores the key; two replicas starting at once both try, the second fails on the primary key
     * and its transaction's retry reads the first one's key.
     */
    void insert(String secretSealed, String kekId, Instant createdAt);

    int reseal(String secretSealed, String kekId);
}
