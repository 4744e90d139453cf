package dev.tokenauthority.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the two statements a ListTokens call runs: the page and the
 * {@code COUNT(*)} behind {@code total_size}. The SQL is rebuilt here the way
 * {@code authority-server/.../storage/TokenSearch.java} builds it (its WHERE clause, its ORDER BY
 * with the id tie-break, LIMIT page_size + 1, the keyset condition of a page token): keep the two in
 * step. Values are literals, so PostgreSQL plans them as it plans the authority's first executions
 * (custom plans).
 */
final class TokenListingPlans {

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
        String where = where(f, now, params);
        if (sort.cursorId() != null) {
            String op = sort.descending() ? "<" : ">";
            where += (where.isEmpty() ? " WHERE " : " AND ") + "(" + sort.expression() + " " + op + " ? OR ("
                    + sort.expression() + " = ? AND t.id " + op + " ?))";
            params.add(sort.cursorSort());
            params.add(sort.cursorSort());
            params.add(sort.cursorId());
        }
        String dir = sort.descending() ? " DESC" : " ASC";
        String sql = "SELECT t.*, u.email AS user_email FROM refresh_tokens t JOIN users u ON u.id = t.user_id" + where
                + " ORDER BY " + sort.expression() + dir + ", t.id" + dir + " LIMIT " + (pageSize + 1);
        return explain(c, sql, params);
    }

    static Plan count(Connection c, Filter f, Instant now) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM refresh_tokens t JOIN users u ON u.id = t.user_id" + where(f, now, params);
        return explain(c, sql, params);
    }

    /** TokenSearch.where for the filters used here, conditions in its order. */
    private static String where(Filter f, Instant now, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (f.text() != null) {
            conditions.add("(u.email_normalized LIKE ? ESCAPE '!' OR LOWER(t.client_id) LIKE ? ESCAPE '!'"
                    + " OR LOWER(t.id) LIKE ? ESCAPE '!')");
            String like = "%" + f.text() + "%";
            params.add(like);
            params.add(like);
            params.add(like);
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
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
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
