package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sessions: one per login, the family every refresh token and access token of that login belongs to. */
public interface SessionStore {

    void insert(Session s);

    Optional<Session> findById(String id);

    /**
     * Locks the session's row until the transaction ends, with an UPDATE of a non-key column (a
     * lock that does not block inserts of tokens referencing the session). Every transaction that
     * changes a session and its tokens locks the session first (G18 in docs/guarantees.md):
     * changes to its tokens then decide one after the other, and never deadlock. Only an ACTIVE
     * session is locked: false (nothing locked) when it is no longer ACTIVE, so its tokens are dead
     * whatever their rows say (a revocation of many sessions lets those rows follow after it).
     */
    boolean lock(String id);

    /** {@link #lock} that also marks the session seen at {@code at}: a refresh presented its token. */
    boolean touch(String id, Instant at);

    /** Narrows what the session's next tokens carry (a client or role change since the login). */
    void updateAccess(String id, List<String> audience, List<String> scopes);

    /**
     * Whether the session is suspended: an administrator suspended one of its refresh tokens
     * (SuspendToken) and has not resumed it. Its access tokens are then dead on the authority as
     * on every sidecar (which hears SESSION_SUSPENDED for the session).
     */
    boolean isSuspended(String sessionId);


    int revokeAll(Instant at, String by, String reason);

    /** Which of {@code ids} are ACTIVE sessions, in id order (one statement for any number of ids). */
    List<String> findActive(List<String> ids);

    int revoke(List<String> ids, Instant at, String by, String reason);

    List<String> findActiveIds(String userId, String clientId);

    /**
     * The ids of the user's live sessions on every client, in id order: ACTIVE, not past their end,
     * and not begun at or before the user's force-logout watermark (dead already, their rows still to
     * follow). The sessions a listing of the user's active sessions shows.
     */
    List<String> findLiveIdsOfUser(String userId, Instant now);

    /** The ids of the client's ACTIVE sessions, in id order. */
    List<String> findActiveIdsOfClient(String clientId);
}
