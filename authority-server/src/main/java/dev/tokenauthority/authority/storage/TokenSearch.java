package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.refresh.RefreshTokenStatus;
import dev.tokenauthority.authority.tokens.PageCursor;
import dev.tokenauthority.authority.tokens.TokenListItem;
import dev.tokenauthority.authority.tokens.TokenOrder;
import dev.tokenauthority.authority.tokens.TokenQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL behind token listings, counts, exports and filtered bulk revocation: one WHERE clause
 * built from a {@link TokenQuery}, every value bound as a parameter, portable across H2 and
 * PostgreSQL.
 */
public final class TokenSearch {

    private static final String FROM = " FROM refresh_tokens t JOIN users u ON u.id = t.user_id";
    /** Rows fetched per round trip when streaming a whole result (exports, bulk revocation). */
    private static final int FETCH_SIZE = 1000;

    private TokenSearch() {}

    /** One page after {@code cursor} (null: the first), at most {@code limit} rows. */
    public static List<TokenListItem> page(Tx tx, TokenQuery query, TokenOrder order, PageCursor cursor, int limit,
            Instant now) {
        Where where = where(query, now);
        if (cursor != null) {
            String op = order.descending() ? "<" : ">";
            String sort = order.column().expression();
            where.add("(" + sort + " " + op + " :cursorSort OR (" + sort + " = :cursorSort AND t.id " + op
                    + " :cursorId))");
            where.params.put("cursorSort", order.column().isTime() ? Instant.parse(cursor.sortValue()) : cursor.sortValue());
            where.params.put("cursorId", cursor.id());
        }
        Query sql = tx.createQuery("SELECT t.*, u.email AS user_email" + FROM + where.sql() + " ORDER BY " + order.sql()
                + " LIMIT :limit");
        where.params.forEach(sql::bind);
        return sql.bind("limit", limit).map(TokenSearch::item).list();
    }

    public static long count(Tx tx, TokenQuery query, Instant now) {
        Where where = where(query, now);
        Query sql = tx.createQuery("SELECT COUNT(*)" + FROM + where.sql());
        where.params.forEach(sql::bind);
        return sql.mapTo(Long.class).one();
    }

    /** Streams every matching token in id order without holding the result in memory. */
    public static void forEach(Tx tx, TokenQuery query, Instant now, Consumer<TokenListItem> action) {
        Where where = where(query, now);
        Query sql = tx.createQuery("SELECT t.*, u.email AS user_email" + FROM + where.sql() + " ORDER BY t.id");
        where.params.forEach(sql::bind);
        try (var stream = sql.setFetchSize(FETCH_SIZE).map(TokenSearch::item).stream()) {
            stream.forEach(action);
        }
    }

    /** The sort value of a row, as a page cursor stores it. */
    public static String sortValue(TokenListItem item, TokenOrder order) {
        var t = item.token();
        return switch (order.column()) {
            case TOKEN_ID -> t.id();
            case USER_EMAIL -> item.userEmail().toLowerCase(Locale.ROOT);
            case CLIENT_ID -> t.clientId();
            case ISSUED_AT -> t.issuedAt().toString();
            case LAST_USED_AT -> (t.lastUsedAt() == null ? t.issuedAt() : t.lastUsedAt()).toString();
            case EXPIRES_AT -> t.expiresAt().toString();
            case STATUS -> t.status().name();
        };
    }

    private static TokenListItem item(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TokenListItem(new Rows.RefreshTokenMapper().map(rs, ctx), rs.getString("user_email"));
    }

    private static Where where(TokenQuery q, Instant now) {
        Where where = new Where();
        if (q.text() != null && !q.text().isBlank()) {
            where.add("(u.email_normalized LIKE :text ESCAPE '\\' OR LOWER(t.client_id) LIKE :text ESCAPE '\\'"
                    + " OR LOWER(t.id) LIKE :text ESCAPE '\\')");
            where.params.put("text", "%" + likeEscape(q.text().trim().toLowerCase(Locale.ROOT)) + "%");
        }
        equal(where, "t.user_id", "userId", q.userId());
        equal(where, "t.client_id", "clientId", q.clientId());
        equal(where, "t.session_id", "sessionId", q.sessionId());
        range(where, "t.issued_at", "issued", q.issued());
        range(where, "COALESCE(t.last_used_at, t.issued_at)", "lastUsed", q.lastUsed());
        range(where, "t.expires_at", "expires", q.expires());
        if (!q.statuses().isEmpty()) {
            List<String> alternatives = new ArrayList<>();
            for (RefreshTokenStatus status : q.statuses()) {
                alternatives.add(switch (status) {
                    case ACTIVE -> "(t.status = 'ACTIVE' AND t.expires_at > :now)";
                    case EXPIRED -> "(t.status = 'EXPIRED' OR (t.status = 'ACTIVE' AND t.expires_at <= :now))";
                    default -> "t.status = '" + status.name() + "'";
                });
            }
            where.add("(" + String.join(" OR ", alternatives) + ")");
            where.params.put("now", now);
        }
        return where;
    }

    private static void equal(Where where, String column, String name, String value) {
        if (value != null && !value.isEmpty()) {
            where.add(column + " = :" + name);
            where.params.put(name, value);
        }
    }

    private static void range(Where where, String column, String name, TokenQuery.Range range) {
        if (range.after() != null) {
            where.add(column + " >= :" + name + "After");
            where.params.put(name + "After", range.after());
        }
        if (range.before() != null) {
            where.add(column + " < :" + name + "Before");
            where.params.put(name + "Before", range.before());
        }
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Conditions joined by AND, and their bound values. */
    private static final class Where {
        final List<String> conditions = new ArrayList<>();
        final Map<String, Object> params = new LinkedHashMap<>();

        void add(String condition) {
            conditions.add(condition);
        }

        String sql() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
    }
}
