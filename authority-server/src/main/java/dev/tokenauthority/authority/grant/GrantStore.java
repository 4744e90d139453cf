package dev.tokenauthority.authority.grant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Grants: the scopes each user has consented to give each client, at most one grant per user and client. */
public interface GrantStore {

    Optional<Grant> find(String userId, String clientId);

    /** {@code scopes} space-separated. */
    void insert(String id, String userId, String clientId, String scopes, Instant at);

    int updateScopes(String id, String scopes, Instant at);

    int delete(String userId, String clientId);

    Optional<Grant> findById(String id);

    int deleteById(String id);

    /**
     * Grants of the user and/or client (null: any), by id, with ids after {@code afterId} (null:
     * from the first), each with its user's email.
     */
    List<GrantListItem> findAfter(String userId, String clientId, String afterId, int limit);
}
