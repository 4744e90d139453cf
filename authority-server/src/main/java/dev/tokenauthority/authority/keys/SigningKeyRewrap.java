package dev.tokenauthority.authority.keys;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.keys.SigningKeyStore.SigningKeyRow;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves stored private signing keys (and the refresh-token successor key, {@link SuccessorKeyAtRest})
 * under the primary key-encryption key: every row sealed by
 * another KEK is opened and sealed again (a KEK rotation, by {@code KeyService.RewrapSigningKeys} or
 * the offline {@code rewrap-keys} command), and a plaintext row left from before V12 is sealed for
 * the first time (at every start-up, before the keys are loaded).
 *
 * <p>Each pass is one transaction holding the authority_state lock that key creation takes, so two
 * replicas starting at once, or a rewrap racing a rotation, take turns: the second finds nothing
 * left to do. Rewrapping is not automatic at start-up: during a rolling KEK rotation a replica still
 * configured with the old KEK alone must keep opening the keys until every replica has the new one.
 */
public final class SigningKeyRewrap {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyRewrap.class);

    private final Transactions transactor;
    private final KeyEncryptionKeys keks;
    private final AuditLog auditLog;
    private final Clock clock;

    public SigningKeyRewrap(Transactions transactor, KeyEncryptionKeys keks, AuditLog auditLog, Clock clock) {
        this.transactor = transactor;
        this.keks = keks;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** How many keys a rewrap re-encrypted (the successor key counts as one), and the KEK that now seals them. */
    public record Result(int rewrapped, String kekId) {}

    /** Re-encrypts every stored key not sealed by the primary KEK under it; audited with the reason. */
    public Result rewrap(CallContext context, String reason) {
        Instant now = clock.instant();
        String primary = keks.primary().id();
        int rewrapped = transactor.inTransaction(tx -> {
            SigningKeyStore stored = tx.store(SigningKeyStore.class);
            stored.lockAuthorityState();
            int count = 0;
            for (SigningKeyRow row : stored.findAll()) {
                if (!primary.equals(row.kekId())) {
                    reseal(stored, row, keks);
                    count++;
                }
            }
            count += SuccessorKeyAtRest.rewrap(tx, keks);
            auditLog.record(tx, context, now, "signing_key.rewrap", "key_encryption_key", primary, reason,
                    Map.of("rewrapped", count));
            return count;
        });
        LOG.info("re-encrypted {} signing keys under key-encryption key {}", rewrapped, primary);
        return new Result(rewrapped, primary);
    }

    /**
     * Seals every plaintext private key (rows written before V12) under the primary KEK and clears the
     * plaintext. Runs in the caller's transaction, which holds the authority_state lock.
     */
    static int sealPlaintext(Transaction tx, KeyEncryptionKeys keks) {
        SigningKeyStore stored = tx.store(SigningKeyStore.class);
        int sealed = 0;
        for (SigningKeyRow row : stored.findAll()) {
            if (row.isPlaintext()) {
                reseal(stored, row, keks);
                sealed++;
            }
        }
        if (sealed > 0) {
            LOG.info("sealed {} plaintext signing keys under key-encryption key {}", sealed, keks.primary().id());
        }
        return sealed;
    }

    /** The private key (PKCS#8) of a row, opened with the KEK that sealed it. */
    static byte[] privateKeyOf(SigningKeyRow row, KeyEncryptionKeys keks) {
        if (row.isPlaintext()) {
            return Base64.getDecoder().decode(row.privateKey());
        }
        if (row.privateKeySealed() == null || row.kekId() == null) {
            throw new KeyEncryptionException("signing key " + row.kid() + " has no stored private key");
        }
        return keks.open(row.kid(), new KeyEncryptionKeys.Sealed(row.kekId(), row.privateKeySealed()));
    }

    private static void reseal(SigningKeyStore stored, SigningKeyRow row, KeyEncryptionKeys keks) {
        KeyEncryptionKeys.Sealed sealed = keks.seal(row.kid(), privateKeyOf(row, keks));
        stored.reseal(row.kid(), sealed.ciphertext(), sealed.kekId());
    }
}
