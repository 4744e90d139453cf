package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SigningKeyDao.SigningKeyRow.class)
public interface SigningKeyDao {

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

    String COLUMNS = """
            kid, alg, private_key, private_key_sealed, kek_id, public_jwk, created_at, retired_at, revoked_at,
            withdrawn_at""";

    @SqlUpdate("""
            INSERT INTO signing_keys (kid, alg, private_key_sealed, kek_id, public_jwk, created_at)
            VALUES (:kid, :alg, :privateKeySealed, :kekId, :publicJwk, :createdAt)
            """)
    void insert(String kid, String alg, String privateKeySealed, String kekId, String publicJwk, Instant createdAt);

    @SqlQuery("SELECT " + COLUMNS + " FROM signing_keys ORDER BY created_at DESC, kid")
    List<SigningKeyRow> findAll();

    @SqlQuery("SELECT " + COLUMNS + " FROM signing_keys WHERE kid = :kid")
    Optional<SigningKeyRow> find(String kid);

    /**
     * Stores a key's private key sealed anew (under another KEK, or for the first time) and clears the plaintext
     * column. Callers hold {@link #lockAuthorityState()}, so no replica reseals the same row at the same time.
     */
    @SqlUpdate("""
            UPDATE signing_keys SET private_key_sealed = :privateKeySealed, kek_id = :kekId, private_key = NULL
            WHERE kid = :kid
            """)
    int reseal(String kid, String privateKeySealed, String kekId);

    @SqlUpdate("UPDATE signing_keys SET retired_at = :at WHERE retired_at IS NULL AND kid <> :currentKid")
    int retireAllExcept(String currentKid, Instant at);

    /** Revokes a retired key and marks its removal from the JWK set as announced; 0 if it is current or revoked. */
    @SqlUpdate("""
            UPDATE signing_keys SET revoked_at = :at, withdrawn_at = COALESCE(withdrawn_at, :at)
            WHERE kid = :kid AND retired_at IS NOT NULL AND revoked_at IS NULL
            """)
    int revoke(String kid, Instant at);

    /** Marks a key's removal from the JWK set as announced on the revocation log. */
    @SqlUpdate("UPDATE signing_keys SET withdrawn_at = :at WHERE kid = :kid AND withdrawn_at IS NULL")
    int markWithdrawn(String kid, Instant at);

    /**
     * Lets earlier SIGNING_KEYS log entries be compacted once {@code until} has passed: a newer entry replaces the
     * whole set, so a subscriber resuming after them loses nothing. The newest entry never expires, so no
     * subscriber can resume past the last change of the key set without receiving it.
     */
    @SqlUpdate("UPDATE revocation_log SET expires_at = :until WHERE kind = 'SIGNING_KEYS' AND expires_at > :until")
    int supersedeKeySetEntries(Instant until);

    /** Serialises key creation across replicas: the first to lock creates the key, the others see it. */
    @SqlQuery("SELECT last_sequence FROM authority_state WHERE id = 1 FOR UPDATE")
    long lockAuthorityState();
}
