package dev.tokenauthority.authority.client;

import dev.tokenauthority.authority.DeletedRows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registered clients: read by every authenticated call, written by the admin API. */
public interface ClientStore {

    void insert(Client c);

    Optional<Client> findById(String clientId);

    /** Serialises registrations made at start-up across replicas (on the authority's one state row). */
    void lockForStartupRegistration();

    Optional<Client> findByIdForUpdate(String clientId);

    /** The clients among {@code clientIds} that exist, in one query (the feed's periodic access check). */
    List<Client> findByIds(List<String> clientIds);

    int updateSecretHash(String clientId, String secretHash, Instant at);

    int updateReuseGrace(String clientId, long graceSeconds, Instant at);

    /** Writes every field of {@code c} except the secret and the creation time. */
    int update(Client c);

    int delete(String clientId);

    /**
     * Deletes the rows the client owns: access tokens, refresh tokens, sessions and grants. Only for
     * DeleteClient, after their revocations are in the feed; audit events and revocation-log entries
     * are kept. Sessions and tokens reference clients by id without a foreign key (so the revocation
     * log can outlive them), hence the explicit deletes; tokens go before their sessions.
     */
    DeletedRows deleteOwnedRows(String clientId);

    /** A keyset page of clients by id: those after {@code after} ("" for the first page). */
    List<Client> findAfter(String after, int limit);

    long count();
}
