package dev.tokenauthority.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the two statements a first ListTokens page runs: the page and the
 * capped {@code COUNT(*)} behind {@code total_size} (later pages run only the page). The SQL is rebuilt here the way
 * {@code authority-server/.../storage/JdbiTokenSearch.java} builds it (its WHERE clause, its ORDER BY
 * with the id tie-break, LIMIT page_size + 1, the keyset condition of a page token): keep the two in
 * step. Values are literals, so PostgreSQL plans them as it plans the authority's first executions
 * (custom plans).
 */
final class TokenListingPlans {

    /** TokenColumn.LAST_USED_AT's expression. */
    static final String LAST_ACTIVITY = "t.last_activity_at";
    /** JdbiTokenSearch.TEXT_USER_IDS. */
    private static final int TEXT_USER_IDS = 100;
    /** TokenSearch.COUNT_CAP (authority-server, tokens). */
    private static final int COUNT_CAP = 10_000;

    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");

    /** The filters the benchmark uses, in TokenSearch's terms. Null: not filtered. */
    record Filter(String text, boolean activeOnly, String clientId, Instant issuedAfter) {
    }

    /** The sort: a TokenColumn expression and its direction; a cursor for a deep page (null: first page). */
    record Sort(String expression, boolean descending, Object cursorSort, String cursorId) {
    }

    /** What one EXPLAIN ANALYZE showed. */
    record Plan(String sql, double executionMs, List<String> lines) {
        String firstNode() {
            return lines.isEmpty() ? "" : lines.get(0).replaceAll("\\s+\\(cost=.*", "").trim();
        }
    }

    private TokenListingPlans() {}

    static Plan page(Connection c, Filter f, Sort sort, int pageSize, Instant now) throws SQLException {
        List<Object> params = new ArrayList<>();
        List<String> conditions = conditions(c, f, now, params);
        if (sort.expression().equals(LAST_ACTIVITY) && f.issuedAfter() != null) {
            conditions.add(LAST_ACTIVITY + " >= ?");
            params.add(f.issuedAfter());
        }
        if (sort.cursorId() != null) {
            String op = sort.descending() ? "<" : ">";
            conditions.add(sort.expression() + " " + op + "= ? AND (" + sort.expression() + " " + op + " ? OR ("
                    + sort.expression() + " = ? AND t.id " + op + " ?))");
            params.add(sort.cursorSort());
            params.add(sort.cursorSort());
            params.add(sort.cursorSort());
            params.add(sort.cursorId());
        }
        String dir = sort.descending() ? " DESC" : " ASC";
        String sql = "SELECT t.*, u.email AS user_email FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
                + where(conditions) + " ORDER BY " + sort.expression() + dir + ", t.id" + dir
                + " LIMIT " + (pageSize + 1);
        return explain(c, sql, params);
    }

    /** JdbiTokenSearch.countUpToCap: first pages only, capped, without the users join. */
    static Plan count(Connection c, Filter f, Instant now) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM (SELECT 1 FROM refresh_tokens t" + where(conditions(c, f, now, params))
                + " LIMIT " + (COUNT_CAP + 1) + ") c";
        return explain(c, sql, params);
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** JdbiTokenSearch.where for the filters used here, conditions in its order. */
    private static List<String> conditions(Connection c, Filter f, Instant now, List<Object> params)
            throws SQLException {
        List<String> conditions = new ArrayList<>();
        if (f.text() != null) {
            // The email part is looked up first, as JdbiTokenSearch.matchText does: up to TEXT_USER_IDS
            // users as a list of ids, more as a subquery.
            List<String> userIds = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT id FROM users WHERE email_normalized LIKE ? ESCAPE '!'")) {
                ps.setString(1, "%" + f.text() + "%");
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        userIds.add(rs.getString(1));
                    }
                }
            }
            String users;
            if (userIds.size() > TEXT_USER_IDS) {
                users = "t.user_id IN (SELECT id FROM users WHERE email_normalized LIKE ? ESCAPE '!') OR ";
                params.add("%" + f.text() + "%");
            } else {
                users = userIds.isEmpty() ? "" : "t.user_id IN (" + String.join(", ",
                        userIds.stream().map(id -> "?").toList()) + ") OR ";
                params.addAll(userIds);
            }
            conditions.add("(" + users + "t.client_id = ? OR t.id = ?)");
            params.add(f.text());
            params.add(f.text());
        }
        if (f.clientId() != null) {
            conditions.add("t.client_id = ?");
            params.add(f.clientId());
        }
        if (f.issuedAfter() != null) {
            conditions.add("t.issued_at >= ?");
            params.add(f.issuedAfter());
        }
        if (f.activeOnly()) {
            conditions.add("((t.status = 'ACTIVE' AND t.expires_at > ?))");
            params.add(now);
        }
        return conditions;
    }

    private static Plan explain(Connection c, String sql, List<Object> params) throws SQLException {
        List<String> lines = new ArrayList<>();
        double ms = -1;
        try (var ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Instant instant) {
                    ps.setObject(i + 1, java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    lines.add(line);
                    Matcher m = EXECUTION.matcher(line);
                    if (m.find()) {
                        ms = Double.parseDouble(m.group(1));
                    }
                }
            }
        }
        return new Plan(sql, ms, lines);
    }
}
