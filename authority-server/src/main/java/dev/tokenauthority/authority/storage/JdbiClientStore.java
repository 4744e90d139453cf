package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.DeletedRows;
import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/** The SQL behind {@link ClientStore}. */
final class JdbiClientStore implements ClientStore {

    private static final Rows.ClientMapper MAPPER = new Rows.ClientMapper();

    private final Handle handle;

    JdbiClientStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(Client c) {
        bindFields(handle.createUpdate("""
                INSERT INTO clients (client_id, name, confidential, secret_hash, audiences, scopes, permissions,
                                     access_token_ttl_seconds, refresh_inactivity_ttl_seconds,
                                     session_max_ttl_seconds, reuse_grace_seconds, created_at, updated_at, disabled)
                VALUES (:clientId, :name, :confidential, :secretHash, :audiences, :scopes, :permissions,
                        :accessTtl, :refreshTtl, :sessionTtl, :graceSeconds, :createdAt, :updatedAt, :disabled)
                """), c)
                .bind("confidential", c.confidential()).bind("secretHash", c.secretHash())
                .bind("createdAt", c.createdAt())
                .execute();
    }

    @Override
    public Optional<Client> findById(String clientId) {
        return handle.createQuery("SELECT * FROM clients WHERE client_id = :clientId").bind("clientId", clientId)
                .map(MAPPER).findOne();
    }

    /** The client, its row locked until the transaction ends (read-modify-write of UpdateClient). */
    @Override
    public void lockForStartupRegistration() {
        handle.createQuery("SELECT last_sequence FROM authority_state WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
    }

    @Override
    public Optional<Client> findByIdForUpdate(String clientId) {
        return handle.createQuery("SELECT * FROM clients WHERE client_id = :clientId FOR UPDATE")
                .bind("clientId", clientId).map(MAPPER).findOne();
    }

    @Override
    public List<Client> findByIds(List<String> clientIds) {
        return handle.createQuery("SELECT * FROM clients WHERE client_id = ANY(:ids)")
                .bindArray("ids", String.class, clientIds).map(MAPPER).list();
    }

    @Override
    public int updateSecretHash(String clientId, String secretHash, Instant at) {
        return handle.createUpdate("UPDATE clients SET secret_hash = :secretHash, updated_at = :at WHERE client_id = :clientId")
                .bind("secretHash", secretHash).bind("at", at).bind("clientId", clientId).execute();
    }

    @Override
    public int updateReuseGrace(String clientId, long graceSeconds, Instant at) {
        return handle.createUpdate(
                        "UPDATE clients SET reuse_grace_seconds = :grace, updated_at = :at WHERE client_id = :clientId")
                .bind("grace", graceSeconds).bind("at", at).bind("clientId", clientId).execute();
    }

    @Override
    public int update(Client c) {
        return bindFields(handle.createUpdate("""
                UPDATE clients SET name = :name, audiences = :audiences, scopes = :scopes, permissions = :permissions,
                                   access_token_ttl_seconds = :accessTtl, refresh_inactivity_ttl_seconds = :refreshTtl,
                                   session_max_ttl_seconds = :sessionTtl, reuse_grace_seconds = :graceSeconds,
                                   updated_at = :updatedAt, disabled = :disabled
                WHERE client_id = :clientId
                """), c).execute();
    }

    @Override
    public int delete(String clientId) {
        return handle.createUpdate("DELETE FROM clients WHERE client_id = :clientId").bind("clientId", clientId).execute();
    }

    @Override
    public DeletedRows deleteOwnedRows(String clientId) {
        return OwnedRows.delete(handle, OwnedRows.Owner.CLIENT, clientId);
    }

    @Override
    public List<Client> findAfter(String after, int limit) {
        return handle.createQuery("SELECT * FROM clients WHERE client_id > :after ORDER BY client_id LIMIT :limit")
                .bind("after", after).bind("limit", limit).map(MAPPER).list();
    }

    @Override
    public long count() {
        return handle.createQuery("SELECT COUNT(*) FROM clients").mapTo(Long.class).one();
    }

    private static Update bindFields(Update update, Client c) {
        return update.bind("clientId", c.clientId()).bind("name", c.name())
                .bind("audiences", SpaceSeparated.join(c.audiences())).bind("scopes", SpaceSeparated.join(c.scopes()))
                .bind("permissions", SpaceSeparated.join(c.permissions()))
                .bind("accessTtl", c.accessTokenTtl().toSeconds()).bind("refreshTtl", c.refreshInactivityTtl().toSeconds())
                .bind("sessionTtl", c.sessionMaxTtl().toSeconds()).bind("graceSeconds", c.reuseGrace().toSeconds())
                .bind("updatedAt", c.updatedAt()).bind("disabled", c.disabled());
    }
}
