package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SigningKeyDao.SigningKeyRow.class)
public interface SigningKeyDao {

    /** A stored key pair; {@code privateKey} is the base64 PKCS#8 encoding. */
    record SigningKeyRow(String kid, String alg, String privateKey, String publicJwk, Instant createdAt,
            Instant retiredAt, Instant revokedAt, Instant withdrawnAt) {
    }

    @SqlUpdate("""
            INSERT INTO signing_keys (kid, alg, private_key, public_jwk, created_at)
            VALUES (:kid, :alg, :privateKey, :publicJwk, :createdAt)
            """)
    void insert(String kid, String alg, String privateKey, String publicJwk, Instant createdAt);

    @SqlQuery("SELECT * FROM signing_keys ORDER BY created_at DESC, kid")
    List<SigningKeyRow> findAll();

    @SqlQuery("SELECT * FROM signing_keys WHERE kid = :kid")
    Optional<SigningKeyRow> find(String kid);

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
