package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The deployment's one key for deriving refresh-token successor secrets (V8), sealed under a KEK (V13). */
@RegisterConstructorMapper(SuccessorKeyDao.SuccessorKeyRow.class)
public interface SuccessorKeyDao {

    /**
     * The stored key: {@code secretSealed} sealed under the KEK {@code kekId}, or, on a row written before V13,
     * {@code secret} in the clear (base64url) until the next start seals it.
     */
    record SuccessorKeyRow(String secret, String secretSealed, String kekId) {
        public boolean isPlaintext() {
            return secret != null;
        }
    }

    @SqlQuery("SELECT secret, secret_sealed, kek_id FROM refresh_successor_key WHERE id = 1 FOR UPDATE")
    Optional<SuccessorKeyRow> findForUpdate();

    /**
     * Stores the key; two replicas starting at once both try, the second fails on the primary key
     * and its transaction's retry reads the first one's key.
     */
    @SqlUpdate("""
            INSERT INTO refresh_successor_key (id, secret_sealed, kek_id, created_at)
            VALUES (1, :secretSealed, :kekId, :createdAt)
            """)
    void insert(String secretSealed, String kekId, Instant createdAt);

    @SqlUpdate("UPDATE refresh_successor_key SET secret_sealed = :secretSealed, kek_id = :kekId, secret = NULL WHERE id = 1")
    int reseal(String secretSealed, String kekId);
}
