package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.client.Client;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(Rows.ClientMapper.class)
public interface ClientDao {

    @SqlUpdate("""
            INSERT INTO clients (client_id, name, confidential, secret_hash, audiences, scopes, permissions,
                                 access_token_ttl_seconds, refresh_inactivity_ttl_seconds,
                                 session_max_ttl_seconds, reuse_grace_seconds, created_at, updated_at)
            VALUES (:c.clientId, :c.name, :c.confidential, :c.secretHash, :audiences, :scopes, :permissions,
                    :accessTtl, :refreshTtl, :sessionTtl, :graceSeconds, :c.createdAt, :c.updatedAt)
            """)
    void insert(@BindMethods("c") Client c, String audiences, String scopes, String permissions,
            long accessTtl, long refreshTtl, long sessionTtl, long graceSeconds);

    default void insert(Client c) {
        insert(c, SpaceSeparated.join(c.audiences()), SpaceSeparated.join(c.scopes()),
                SpaceSeparated.join(c.permissions()), c.accessTokenTtl().toSeconds(),
                c.refreshInactivityTtl().toSeconds(), c.sessionMaxTtl().toSeconds(), c.reuseGrace().toSeconds());
    }

    @SqlQuery("SELECT * FROM clients WHERE client_id = :clientId")
    Optional<Client> findById(String clientId);

    @SqlUpdate("UPDATE clients SET secret_hash = :secretHash, updated_at = :at WHERE client_id = :clientId")
    int updateSecretHash(String clientId, String secretHash, Instant at);

    @SqlUpdate("UPDATE clients SET reuse_grace_seconds = :graceSeconds, updated_at = :at WHERE client_id = :clientId")
    int updateReuseGrace(String clientId, long graceSeconds, Instant at);

    @SqlUpdate("""
            UPDATE clients SET access_token_ttl_seconds = :accessTtl, refresh_inactivity_ttl_seconds = :refreshTtl,
                               session_max_ttl_seconds = :sessionTtl, updated_at = :at
            WHERE client_id = :clientId
            """)
    int updateLifetimes(String clientId, long accessTtl, long refreshTtl, long sessionTtl, Instant at);

    /** The client, its row locked until the transaction ends (read-modify-write of UpdateClient). */
    @SqlQuery("SELECT * FROM clients WHERE client_id = :clientId FOR UPDATE")
    Optional<Client> findByIdForUpdate(String clientId);

    @SqlUpdate("""
            UPDATE clients SET name = :c.name, audiences = :audiences, scopes = :scopes, permissions = :permissions,
                               access_token_ttl_seconds = :accessTtl, refresh_inactivity_ttl_seconds = :refreshTtl,
                               session_max_ttl_seconds = :sessionTtl, reuse_grace_seconds = :graceSeconds,
                               updated_at = :c.updatedAt
            WHERE client_id = :c.clientId
            """)
    int update(@BindMethods("c") Client c, String audiences, String scopes, String permissions,
            long accessTtl, long refreshTtl, long sessionTtl, long graceSeconds);

    /** Writes every field of {@code c} except the secret and the creation time. */
    default int update(Client c) {
        return update(c, SpaceSeparated.join(c.audiences()), SpaceSeparated.join(c.scopes()),
                SpaceSeparated.join(c.permissions()), c.accessTokenTtl().toSeconds(),
                c.refreshInactivityTtl().toSeconds(), c.sessionMaxTtl().toSeconds(), c.reuseGrace().toSeconds());
    }

    @SqlUpdate("DELETE FROM clients WHERE client_id = :clientId")
    int delete(String clientId);

    /** A keyset page of clients by id: those after {@code after} ("" for the first page). */
    @SqlQuery("SELECT * FROM clients WHERE client_id > :after ORDER BY client_id LIMIT :limit")
    List<Client> findAfter(String after, int limit);

    @SqlQuery("SELECT COUNT(*) FROM clients")
    long count();
}
