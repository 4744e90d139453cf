package dev.tokenauthority.authority.user;

import dev.tokenauthority.authority.DeletedRows;
import dev.tokenauthority.authority.listing.PageCursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users: credentials, roles, the disabled flag and the per-user {@code token_invalidated_at} watermark. */
public interface UserStore {

    void insert(User u, String emailNormalized, String roles);

    Optional<User> findById(String id);

    Optional<User> findByEmail(String emailNormalized);

    /**
     * The user, its row locked until the transaction ends: read-modify-write of roles and the
     * disabled flag, and logins that must see them. The lock is taken by an UPDATE of a non-key
     * column rather than SELECT ... FOR UPDATE: on PostgreSQL that is the weaker FOR NO KEY UPDATE
     * lock, which does not conflict with the KEY SHARE lock a refresh takes on the user row when it
     * inserts a token referencing it. With FOR UPDATE, a force logout waiting for a refresh's token
     * while that refresh waited for the user row deadlocked (H2 takes no lock for the reference).
     */
    Optional<User> findByIdForUpdate(String id);


    int updateRoles(String id, String roles, Instant at);

    int setDisabled(String id, boolean disabled, Instant at);

    int delete(String id);

    /**
     * Deletes the rows the user owns: access tokens, refresh tokens, sessions and grants. Only for
     * DeleteUser, after their revocations are in the feed; audit events and revocation-log entries
     * are kept. Sessions and tokens reference users by id without a foreign key (so the revocation
     * log can outlive them), hence the explicit deletes; tokens go before their sessions.
     */
    DeletedRows deleteOwnedRows(String userId);

    long count();

    /**
     * A keyset page of the users whose email contains {@code text} (case-insensitive; null or
     * blank: all), by normalized email then id: those after {@code cursor} (null: from the first),
     * whose sort value is a normalized email. Users added meanwhile are neither repeated nor skipped.
     */
    List<User> findByEmailContaining(String text, PageCursor cursor, int limit);

    /** The number of users whose email contains {@code text} (case-insensitive; null or blank: all). */
    long countByEmailContaining(String text);
}
