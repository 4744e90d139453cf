package dev.tokenauthority.authority.keys;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.keys.SuccessorKeyStore.SuccessorKeyRow;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The refresh-token successor key as it is kept in the database: sealed under the primary
 * key-encryption key like the private signing keys, since whoever holds it and a rotated refresh
 * token could compute that token's successor. The seal binds the ciphertext to this one row by a
 * name no signing key's kid can take, so neither kind of ciphertext opens as the other.
 */
public final class SuccessorKeyAtRest {

    /** The name the seal binds the key to (the kid of a signing key's seal). */
    static final String SEALED_NAME = "refresh-successor-key";
    /** 256 random bits: HMAC-SHA256's output length, the least RFC 2104 section 3 recommends. */
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SuccessorKeyAtRest() {}

    /**
     * The deployment's key, in the caller's transaction: created and sealed on a database that has
     * none, sealed when it is still in the clear (written before V13), opened otherwise.
     *
     * @throws KeyEncryptionException when no configured KEK opens it
     */
    public static byte[] loadOrCreate(Transaction tx, KeyEncryptionKeys keks, Instant now) {
        SuccessorKeyStore store = tx.store(SuccessorKeyStore.class);
        Optional<SuccessorKeyRow> row = store.findForUpdate();
        if (row.isEmpty()) {
            byte[] key = new byte[KEY_BYTES];
            RANDOM.nextBytes(key);
            KeyEncryptionKeys.Sealed sealed = keks.seal(SEALED_NAME, key);
            store.insert(sealed.ciphertext(), sealed.kekId(), now);
            return key;
        }
        byte[] key = open(row.get(), keks);
        if (row.get().isPlaintext()) {
            reseal(store, key, keks);
        }
        return key;
    }

    /** Seals the key again under the primary KEK when another sealed it; 1 if it did, 0 if not (or no key yet). */
    static int rewrap(Transaction tx, KeyEncryptionKeys keks) {
        SuccessorKeyStore store = tx.store(SuccessorKeyStore.class);
        Optional<SuccessorKeyRow> row = store.findForUpdate();
        if (row.isEmpty() || keks.primary().id().equals(row.get().kekId())) {
            return 0;
        }
        reseal(store, open(row.get(), keks), keks);
        return 1;
    }

    private static byte[] open(SuccessorKeyRow row, KeyEncryptionKeys keks) {
        if (row.isPlaintext()) {
            return Base64.getUrlDecoder().decode(row.secret());
        }
        return keks.open(SEALED_NAME, new KeyEncryptionKeys.Sealed(row.kekId(), row.secretSealed()));
    }

    private static void reseal(SuccessorKeyStore store, byte[] key, KeyEncryptionKeys keks) {
        KeyEncryptionKeys.Sealed sealed = keks.seal(SEALED_NAME, key);
        store.reseal(sealed.ciphertext(), sealed.kekId());
    }
}
