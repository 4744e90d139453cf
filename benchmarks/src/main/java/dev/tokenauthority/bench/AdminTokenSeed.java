package dev.tokenauthority.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seeds a fresh authority database with refresh tokens by SQL, straight into PostgreSQL: going
 * through Login and Refresh would cost an Argon2id hash per session and hours for a million rows.
 *
 * <p>The shape: {@code users} users spread over {@code sessions} sessions (eight clients,
 * skewed towards the first), each session a rotation chain of {@code tokens / sessions} refresh
 * tokens: every token but the last ROTATED, the last ACTIVE (or REVOKED with its session, 15 %;
 * SUSPENDED, 1 %). Sessions start within the last 90 days and were last seen recently more often
 * than not; a refresh token expires 14 days after it was issued (never after its session), so many
 * stored-ACTIVE tokens are past their expiry, which the API reports as EXPIRED. Ids are md5 hex
 * strings, so they are spread over the id index like the authority's random ids.
 *
 * <p>The secondary indexes of {@code refresh_tokens} are dropped for the load and recreated from
 * their own definitions afterwards, foreign-key triggers are skipped ({@code session_replication_role
 * = replica}; the rows are consistent by construction), then {@code VACUUM ANALYZE}: the state of a
 * database that has been running for a while.
 */
final class AdminTokenSeed {

    /** Client ids of the seeded tokens; the first ones get most sessions. */
    static final int CLIENTS = 8;

    private AdminTokenSeed() {}

    static String userEmail(int user) {
        return String.format(Locale.ROOT, "user%04d@bench.example.com", user);
    }

    static String clientId(int client) {
        return "bench-app-" + client;
    }

    static Connection connect(String url, String user) throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    /** Inserts the rows; returns the seconds it took. */
    static double seed(Connection c, int users, int sessions, int tokensPerSession) throws SQLException {
        long start = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = off");
            s.execute("SET maintenance_work_mem = '256MB'");
            s.execute("SET session_replication_role = replica");
            s.execute("SELECT setseed(0.42)");
            s.executeUpdate(String.format(Locale.ROOT, """
                    INSERT INTO users (id, email, email_normalized, password_hash, roles, disabled, created_at, updated_at)
                    SELECT 'bench-user-' || i, 'User' || lpad(i::text, 4, '0') || '@Bench.Example.com',
                           'user' || lpad(i::text, 4, '0') || '@bench.example.com', 'not-a-hash', '', false,
                           now() - interval '400 days', now() - interval '400 days'
                    FROM generate_series(0, %d) i
                    """, users - 1));
            s.executeUpdate(String.format(Locale.ROOT, """
                    INSERT INTO clients (client_id, name, confidential, secret_hash, audiences, scopes, permissions,
                        access_token_ttl_seconds, refresh_inactivity_ttl_seconds, session_max_ttl_seconds,
                        reuse_grace_seconds, created_at, updated_at)
                    SELECT 'bench-app-' || i, 'Benchmark app ' || i, false, NULL, 'demo-api', 'read write', '',
                           900, 1209600, 7776000, 0, now() - interval '400 days', now() - interval '400 days'
                    FROM generate_series(0, %d) i
                    """, CLIENTS - 1));
            List<String> names = new ArrayList<>();
            List<String> indexes = new ArrayList<>();
            try (var rs = s.executeQuery("""
                    SELECT indexname, indexdef FROM pg_indexes
                    WHERE tablename = 'refresh_tokens' AND indexname <> 'refresh_tokens_pkey'
                    """)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    indexes.add(rs.getString(2));
                }
            }
            for (String name : names) {
                s.execute("DROP INDEX " + name);
            }
            // One statement: the sessions, then ten tokens per session from the rows it returns.
            s.executeUpdate(String.format(Locale.ROOT, """
                    WITH g AS (
                        SELECT i, random() AS r_age, random() AS r_seen, random() AS r_status, random() AS r_client
                        FROM generate_series(0, %1$d) i
                    ), s AS (
                        INSERT INTO sessions (id, user_id, client_id, audience, scopes, created_at, last_seen_at,
                            expires_at, ip, user_agent, device_id, device_name, status, revoked_at, revoked_by, revoke_reason)
                        SELECT 's' || md5('s' || i), 'bench-user-' || ((i * 7919) %% %2$d),
                               'bench-app-' || floor(%3$d * r_client * r_client)::int, 'demo-api', 'read write',
                               created, created + (now() - created) * (1 - r_seen * r_seen * r_seen),
                               created + interval '90 days', '10.0.' || (i %% 250) || '.' || (i %% 199),
                               'bench-agent/1.0', NULL, NULL,
                               CASE WHEN r_status < 0.15 THEN 'REVOKED' ELSE 'ACTIVE' END,
                               CASE WHEN r_status < 0.15 THEN now() - interval '1 hour' END,
                               CASE WHEN r_status < 0.15 THEN 'user:seed' END,
                               CASE WHEN r_status < 0.15 THEN 'seeded' END
                        FROM (SELECT g.*, now() - interval '90 days' * r_age AS created FROM g) g2
                        RETURNING id, user_id, client_id, created_at, last_seen_at, expires_at, status
                    )
                    INSERT INTO refresh_tokens (id, secret_hash, session_id, parent_id, user_id, client_id, issued_at,
                        last_used_at, last_activity_at, expires_at, status, rotated_at, revoked_at, revoked_by,
                        revoke_reason, note, tags)
                    SELECT id, secret_hash, session_id, parent_id, user_id, client_id, issued_at,
                           last_used_at, COALESCE(last_used_at, issued_at), expires_at, status, rotated_at, revoked_at,
                           revoked_by, revoke_reason, note, tags
                    FROM (
                    SELECT 't' || md5(s.id || k) AS id, md5('secret' || s.id || k) AS secret_hash, s.id AS session_id,
                           CASE WHEN k > 0 THEN 't' || md5(s.id || (k - 1)) END AS parent_id, s.user_id, s.client_id,
                           s.created_at + (s.last_seen_at - s.created_at) * k / %4$d AS issued_at,
                           CASE WHEN k < %4$d - 1 THEN s.created_at + (s.last_seen_at - s.created_at) * (k + 1) / %4$d
                                WHEN random() < 0.5 THEN s.last_seen_at END AS last_used_at,
                           LEAST(s.created_at + (s.last_seen_at - s.created_at) * k / %4$d + interval '14 days', s.expires_at)
                               AS expires_at,
                           CASE WHEN k < %4$d - 1 THEN 'ROTATED'
                                WHEN s.status = 'REVOKED' THEN 'REVOKED'
                                WHEN random() < 0.01 THEN 'SUSPENDED'
                                ELSE 'ACTIVE' END AS status,
                           CASE WHEN k < %4$d - 1 THEN s.created_at + (s.last_seen_at - s.created_at) * (k + 1) / %4$d END
                               AS rotated_at,
                           CASE WHEN k = %4$d - 1 AND s.status = 'REVOKED' THEN now() - interval '1 hour' END AS revoked_at,
                           CASE WHEN k = %4$d - 1 AND s.status = 'REVOKED' THEN 'user:seed' END AS revoked_by,
                           CASE WHEN k = %4$d - 1 AND s.status = 'REVOKED' THEN 'seeded' END AS revoke_reason,
                           NULL AS note, '' AS tags
                    FROM s CROSS JOIN generate_series(0, %4$d - 1) k
                    ) r
                    """, sessions - 1, users, CLIENTS, tokensPerSession));
            for (String index : indexes) {
                s.execute(index);
            }
            s.execute("SET session_replication_role = origin");
            s.execute("VACUUM ANALYZE users");
            s.execute("VACUUM ANALYZE clients");
            s.execute("VACUUM ANALYZE sessions");
            s.execute("VACUUM ANALYZE refresh_tokens");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** One line on what was seeded: counts by status as the API reports them. */
    static String describe(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("""
                SELECT count(*),
                       count(*) FILTER (WHERE status = 'ACTIVE' AND expires_at > now()),
                       count(*) FILTER (WHERE status = 'ACTIVE' AND expires_at <= now()),
                       count(*) FILTER (WHERE status = 'ROTATED'),
                       count(*) FILTER (WHERE status = 'REVOKED'),
                       count(*) FILTER (WHERE status = 'SUSPENDED'),
                       (SELECT count(*) FROM sessions), (SELECT count(*) FROM users),
                       pg_size_pretty(pg_total_relation_size('refresh_tokens'))
                FROM refresh_tokens
                """)) {
            rs.next();
            return String.format(Locale.ROOT, "%,d refresh tokens (%,d active, %,d active-but-expired, %,d rotated, "
                    + "%,d revoked, %,d suspended) in %,d sessions of %,d users; refresh_tokens with indexes: %s",
                    rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                    rs.getLong(7), rs.getLong(8), rs.getString(9));
        }
    }

    /** Ids of live ACTIVE tokens, at most one per session (the seeded chains have one), in a stable random order. */
    /** Live tokens in live sessions, in a fixed pseudo-random order: refresh token ids, or their sessions' ids. */
    static List<String> activeTokenIds(Connection c, int limit, int skip) throws SQLException {
        return activeTokens(c, "rt.id", limit, skip);
    }

    static List<String> activeTokenSessionIds(Connection c, int limit, int skip) throws SQLException {
        return activeTokens(c, "rt.session_id", limit, skip);
    }

    private static List<String> activeTokens(Connection c, String column, int limit, int skip) throws SQLException {
        List<String> ids = new ArrayList<>(limit);
        try (var ps = c.prepareStatement("SELECT " + column + """
                 FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
                WHERE rt.status = 'ACTIVE' AND s.status = 'ACTIVE' AND rt.expires_at > now() + interval '1 hour'
                ORDER BY md5(rt.id) OFFSET ? LIMIT ?
                """)) {
            ps.setInt(1, skip);
            ps.setInt(2, limit);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
