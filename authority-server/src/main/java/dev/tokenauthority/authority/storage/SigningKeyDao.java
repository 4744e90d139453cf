package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SigningKeyDao.SigningKeyRow.class)
public interface SigningKeyDao {

    /** A stored key pair; {@code privateKey} is the base64 PKCS#8 encoding. */
    record SigningKeyRow(String kid, String alg, String privateKey, String publicJwk, Instant createdAt,
            Instant retiredAt) {
    }

    @SqlUpdate("""
            INSERT INTO signing_keys (kid, alg, private_key, public_jwk, created_at)
            VALUES (:kid, :alg, :privateKey, :publicJwk, :createdAt)
            """)
    void insert(String kid, String alg, String privateKey, String publicJwk, Instant createdAt);

    @SqlQuery("SELECT * FROM signing_keys ORDER BY created_at DESC, kid")
    List<SigningKeyRow> findAll();

    @SqlUpdate("UPDATE signing_keys SET retired_at = :at WHERE retired_at IS NULL AND kid <> :currentKid")
    int retireAllExcept(String currentKid, Instant at);

    /** Serialises key creation across replicas: the first to lock creates the key, the others see it. */
    @SqlQuery("SELECT last_sequence FROM authority_state WHERE id = 1 FOR UPDATE")
    long lockAuthorityState();
}
