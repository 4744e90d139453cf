package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.keys.SigningKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The SQL behind {@link SigningKeyStore}. */
final class JdbiSigningKeyStore implements SigningKeyStore {

    private static final RowMapper<SigningKeyRow> MAPPER = ConstructorMapper.of(SigningKeyRow.class);

    private static final String COLUMNS = """
            kid, alg, private_key, private_key_sealed, kek_id, public_jwk, created_at, retired_at, revoked_at,
            withdrawn_at""";

    private final Handle handle;

    JdbiSigningKeyStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(String kid, String alg, String privateKeySealed, String kekId, String publicJwk,
            Instant createdAt) {
        handle.createUpdate("""
                INSERT INTO signing_keys (kid, alg, private_key_sealed, kek_id, public_jwk, created_at)
                VALUES (:kid, :alg, :privateKeySealed, :kekId, :publicJwk, :createdAt)
                """).bind("kid", kid).bind("alg", alg).bind("privateKeySealed", privateKeySealed)
                .bind("kekId", kekId).bind("publicJwk", publicJwk).bind("createdAt", createdAt).execute();
    }

    @Override
    public List<SigningKeyRow> findAll() {
        return handle.createQuery("SELECT " + COLUMNS + " FROM signing_keys ORDER BY created_at DESC, kid")
                .map(MAPPER).list();
    }

    @Override
    public Optional<SigningKeyRow> find(String kid) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM signing_keys WHERE kid = :kid").bind("kid", kid)
                .map(MAPPER).findOne();
    }

    @Override
    public int reseal(String kid, String privateKeySealed, String kekId) {
        return handle.createUpdate("""
                UPDATE signing_keys SET private_key_sealed = :privateKeySealed, kek_id = :kekId, private_key = NULL
                WHERE kid = :kid
                """).bind("privateKeySealed", privateKeySealed).bind("kekId", kekId).bind("kid", kid).execute();
    }

    @Override
    public int retireAllExcept(String currentKid, Instant at) {
        return handle.createUpdate(
                        "UPDATE signing_keys SET retired_at = :at WHERE retired_at IS NULL AND kid <> :currentKid")
                .bind("at", at).bind("currentKid", currentKid).execute();
    }

    @Override
    public int revoke(String kid, Instant at) {
        return handle.createUpdate("""
                UPDATE signing_keys SET revoked_at = :at, withdrawn_at = COALESCE(withdrawn_at, :at)
                WHERE kid = :kid AND retired_at IS NOT NULL AND revoked_at IS NULL
                """).bind("at", at).bind("kid", kid).execute();
    }

    @Override
    public int markWithdrawn(String kid, Instant at) {
        return handle.createUpdate("UPDATE signing_keys SET withdrawn_at = :at WHERE kid = :kid AND withdrawn_at IS NULL")
                .bind("at", at).bind("kid", kid).execute();
    }

    @Override
    public int supersedeKeySetEntries(Instant until) {
        return handle.createUpdate(
                        "UPDATE revocation_log SET expires_at = :until WHERE kind = 'SIGNING_KEYS' AND expires_at > :until")
                .bind("until", until).execute();
    }

    @Override
    public void lockAuthorityState() {
        handle.createQuery("SELECT last_sequence FROM authority_state WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
    }
}
