package dev.tokenauthority.authority.storage;

import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Deletes the rows a user or a client owns: access tokens, refresh tokens, sessions and grants.
 * Only for DeleteUser and DeleteClient, after their revocations are in the feed; audit events and
 * revocation-log entries are kept. Sessions and tokens reference users and clients by id without a
 * foreign key (so the revocation log can outlive them), hence the explicit deletes; tokens go
 * before their sessions.
 */
public interface OwnedRowsDao {

    /** Through the user's sessions: access_tokens has no index on user_id (V5), sessions has. */
    @SqlUpdate("DELETE FROM access_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = :userId)")
    int deleteAccessTokensOfUser(String userId);

    @SqlUpdate("DELETE FROM refresh_tokens WHERE user_id = :userId")
    int deleteRefreshTokensOfUser(String userId);

    @SqlUpdate("DELETE FROM sessions WHERE user_id = :userId")
    int deleteSessionsOfUser(String userId);

    @SqlUpdate("DELETE FROM grants WHERE user_id = :userId")
    int deleteGrantsOfUser(String userId);

    @SqlUpdate("DELETE FROM access_tokens WHERE session_id IN (SELECT id FROM sessions WHERE client_id = :clientId)")
    int deleteAccessTokensOfClient(String clientId);

    @SqlUpdate("DELETE FROM refresh_tokens WHERE client_id = :clientId")
    int deleteRefreshTokensOfClient(String clientId);

    @SqlUpdate("DELETE FROM sessions WHERE client_id = :clientId")
    int deleteSessionsOfClient(String clientId);

    @SqlUpdate("DELETE FROM grants WHERE client_id = :clientId")
    int deleteGrantsOfClient(String clientId);

    default DeletedRows deleteAllOfUser(String userId) {
        return new DeletedRows(deleteAccessTokensOfUser(userId), deleteRefreshTokensOfUser(userId),
                deleteSessionsOfUser(userId), deleteGrantsOfUser(userId));
    }

    default DeletedRows deleteAllOfClient(String clientId) {
        return new DeletedRows(deleteAccessTokensOfClient(clientId), deleteRefreshTokensOfClient(clientId),
                deleteSessionsOfClient(clientId), deleteGrantsOfClient(clientId));
    }

    /** How many rows of each kind a delete removed, for the audit event. */
    record DeletedRows(int accessTokens, int refreshTokens, int sessions, int grants) {
    }
}
