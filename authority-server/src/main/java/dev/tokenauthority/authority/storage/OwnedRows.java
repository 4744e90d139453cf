package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.DeletedRows;
import org.jdbi.v3.core.Handle;

/** What a user or a client owns and dies with it: access tokens, refresh tokens, sessions and grants. */
final class OwnedRows {

    /** The column that names the owner, in sessions, refresh_tokens and grants alike. */
    enum Owner {
        USER("user_id"), CLIENT("client_id");

        private final String column;

        Owner(String column) {
            this.column = column;
        }
    }

    private OwnedRows() {}

    static DeletedRows delete(Handle handle, Owner owner, String id) {
        // Access tokens through the owner's sessions: access_tokens has no index on user_id (V5), sessions has.
        int accessTokens = delete(handle, owner, id,
                "DELETE FROM access_tokens WHERE session_id IN (SELECT id FROM sessions WHERE %s = :owner)");
        int refreshTokens = delete(handle, owner, id, "DELETE FROM refresh_tokens WHERE %s = :owner");
        int sessions = delete(handle, owner, id, "DELETE FROM sessions WHERE %s = :owner");
        int grants = delete(handle, owner, id, "DELETE FROM grants WHERE %s = :owner");
        return new DeletedRows(accessTokens, refreshTokens, sessions, grants);
    }

    private static int delete(Handle handle, Owner owner, String id, String statement) {
        return handle.createUpdate(statement.formatted(owner.column)).bind("owner", id).execute();
    }
}
