package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.keys.SuccessorKeyStore;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The SQL behind {@link SuccessorKeyStore}. */
final class JdbiSuccessorKeyStore implements SuccessorKeyStore {

    private static final RowMapper<SuccessorKeyRow> MAPPER = ConstructorMapper.of(SuccessorKeyRow.class);

    private final Handle handle;

    JdbiSuccessorKeyStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Optional<SuccessorKeyRow> findForUpdate() {
        return handle.createQuery("SELECT secret, secret_sealed, kek_id FROM refresh_successor_key WHERE id = 1 FOR UPDATE")
                .map(MAPPER).findOne();
    }

    @Override
    public void insert(String secretSealed, String kekId, Instant createdAt) {
        handle.createUpdate("""
                INSERT INTO refresh_successor_key (id, secret_sealed, kek_id, created_at)
                VALUES (1, :secretSealed, :kekId, :createdAt)
                """).bind("secretSealed", secretSealed).bind("kekId", kekId).bind("createdAt", createdAt).execute();
    }

    @Override
    public int reseal(String secretSealed, String kekId) {
        return handle.createUpdate(
                        "UPDATE refresh_successor_key SET secret_sealed = :secretSealed, kek_id = :kekId, secret = NULL WHERE id = 1")
                .bind("secretSealed", secretSealed).bind("kekId", kekId).execute();
    }
}
