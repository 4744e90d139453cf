package dev.tokenauthority.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Gives a user many sessions quickly: copies one real login's rows (its session, its refresh token
 * and its access token) into the authority's PostgreSQL database, issued now, with fresh ids. Going
 * through Login instead would cost an Argon2id hash (19 MiB) per session: minutes for 10,000.
 */
final class SessionClones {

    private SessionClones() {}

    /** Adds {@code copies} sessions shaped like {@code sessionId}; {@code round} keeps the ids of repeated calls apart. */
    static void copy(Connection c, String sessionId, int copies, String round) throws SQLException {
        String key = "md5(?::text || '-' || i)";
        execute(c, """
                INSERT INTO sessions (id, user_id, client_id, audience, scopes, created_at, last_seen_at, expires_at,
                    ip, user_agent, device_id, device_name, status)
                SELECT 's' || %s, user_id, client_id, audience, scopes, now(), now(), now() + (expires_at - created_at),
                    ip, user_agent, device_id, device_name, status
                FROM sessions, generate_series(1, ?) i WHERE id = ?
                """.formatted(key), round, copies, sessionId);
        execute(c, """
                INSERT INTO refresh_tokens (id, secret_hash, session_id, parent_id, user_id, client_id, issued_at,
                    last_used_at, expires_at, status, tags, last_activity_at)
                SELECT 't' || %1$s, md5('secret-' || %1$s), 's' || %1$s, NULL, user_id, client_id, now(),
                    NULL, now() + (expires_at - issued_at), status, tags, now()
                FROM refresh_tokens, generate_series(1, ?) i WHERE session_id = ? AND status = 'ACTIVE'
                """.formatted(key), round, round, round, copies, sessionId);
        execute(c, """
                INSERT INTO access_tokens (jti, session_id, refresh_token_id, user_id, client_id, issued_at, expires_at)
                SELECT 'a' || %1$s, 's' || %1$s, 't' || %1$s, user_id, client_id, now(), now() + (expires_at - issued_at)
                FROM access_tokens, generate_series(1, ?) i WHERE session_id = ?
                """.formatted(key), round, round, round, copies, sessionId);
        try (var s = c.createStatement()) {
            s.execute("ANALYZE sessions, refresh_tokens, access_tokens");
        }
    }

    private static void execute(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ps.execute();
        }
    }
}
