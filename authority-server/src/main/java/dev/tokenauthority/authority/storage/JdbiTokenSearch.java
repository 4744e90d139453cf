package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.tokens.TokenColumn;
import dev.tokenauthority.authority.tokens.TokenListItem;
import dev.tokenauthority.authority.tokens.TokenQuery;
import dev.tokenauthority.authority.tokens.TokenSearch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL behind {@link TokenSearch}: one WHERE clause built from a {@link TokenQuery}, every value
 * bound as a parameter, portable across H2 and PostgreSQL.
 */
final class JdbiTokenSearch implements TokenSearch {

    // The session's start by a subquery, evaluated only for the rows returned: a join would enter the count's plans.
    private static final String SELECT = "SELECT t.*, u.email AS user_email, u.token_invalidated_at AS user_watermark,"
            + " (SELECT s.created_at FROM sessions s WHERE s.id = t.session_id) AS session_started_at,"
            + " (SELECT s.status FROM sessions s WHERE s.id = t.session_id) AS session_status";
    private static final String FROM = " FROM refresh_tokens t JOIN users u ON u.id = t.user_id";
    /** Rows fetched per round trip when streaming a whole result (exports, bulk revocation). */
    private static final int FETCH_SIZE = 1000;
    /**
     * Users a free-text query may match by email for the token condition to list their ids: up to
     * this many, the database looks their tokens up in the user_id index. Beyond it (a domain, a
     * common fragment) their tokens are a large share of all, and a subquery is faster: the
     * database then filters the rows the other conditions and the sort select (at 1M tokens, for
     * 1,000 users: 40 ms against 150 ms for the count, whose generic plan ORs 1,000 index scans).
     */
    private static final int TEXT_USER_IDS = 100;
    private static final Rows.RefreshTokenMapper TOKEN_MAPPER = new Rows.RefreshTokenMapper();

    private final Handle handle;

    JdbiTokenSearch(Handle handle) {
        this.handle = handle;
    }

    @Override
    public List<TokenListItem> page(TokenQuery query, ListOrder<TokenColumn> order, PageCursor cursor, int limit,
            Instant now) {
        SqlConditions where = where(query, now);
        if (order.column() == TokenColumn.LAST_USED_AT && query.issued().after() != null) {
            // Implied (a token is not used before it is issued), but it lets the database start the
            // last_activity_at index at the range instead of walking it from the oldest token.
            where.add("t.last_activity_at >= :activityFloor");
            where.bind("activityFloor", query.issued().after());
        }
        return where.page(handle, SELECT + FROM, order, cursor, "t.id", limit).map(JdbiTokenSearch::item).list();
    }

    /**
     * The filter never needs the users table (an email query is resolved to user ids first), so
     * neither does the count.
     */
    @Override
    public long countUpToCap(TokenQuery query, Instant now) {
        SqlConditions where = where(query, now);
        return where.bindTo(handle.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM refresh_tokens t" + where.where()
                + " LIMIT :cap) c")).bind("cap", COUNT_CAP + 1).mapTo(Long.class).one();
    }

    @Override
    public void forEach(TokenQuery query, Instant now, Consumer<TokenListItem> action) {
        SqlConditions where = where(query, now);
        try (var stream = where.bindTo(handle.createQuery(SELECT + FROM + where.where() + " ORDER BY t.id"))
                .setFetchSize(FETCH_SIZE).map(JdbiTokenSearch::item).stream()) {
            stream.forEach(action);
        }
    }

    @Override
    public Optional<TokenListItem> find(String tokenId) {
        return handle.createQuery(SELECT + FROM + " WHERE t.id = :id").bind("id", tokenId)
                .map(JdbiTokenSearch::item).findOne();
    }

    private static TokenListItem item(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TokenListItem(TOKEN_MAPPER.map(rs, ctx), rs.getString("user_email"), Rows.instant(rs, "user_watermark"),
                Rows.instant(rs, "session_started_at"), "REVOKED".equals(rs.getString("session_status")));
    }

    /** The filter's conditions, on {@code refresh_tokens t} alone. */
    private SqlConditions where(TokenQuery q, Instant now) {
        SqlConditions where = new SqlConditions();
        matchText(where, q.text());
        where.equal("t.user_id", "userId", q.userId());
        where.equal("t.client_id", "clientId", q.clientId());
        where.equal("t.session_id", "sessionId", q.sessionId());
        where.range("t.issued_at", "issued", q.issued().after(), q.issued().before());
        where.range("t.last_activity_at", "lastUsed", q.lastUsed().after(), q.lastUsed().before());
        where.range("t.expires_at", "expires", q.expires().after(), q.expires().before());
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
            if (q.statuses().contains(RefreshTokenStatus.ACTIVE) || q.statuses().contains(RefreshTokenStatus.EXPIRED)) {
                where.bind("now", now);
            }
        }
        return where;
    }

    /**
     * Free text. The email is looked up in the small users table first, so the token condition is
     * an OR of indexed equalities; a substring match across the join with leading wildcards read
     * every token (1 s at a million). Substrings of random ids find nothing worth finding.
     */
    private void matchText(SqlConditions where, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        String like = SqlConditions.likePattern(text);
        String byEmail = "SELECT id FROM users WHERE email_normalized LIKE :textLike ESCAPE '!'";
        List<String> userIds = handle.createQuery(byEmail + " LIMIT :limit").bind("textLike", like)
                .bind("limit", TEXT_USER_IDS + 1).mapTo(String.class).list();
        String users;
        if (userIds.size() > TEXT_USER_IDS) {
            users = "t.user_id IN (" + byEmail + ") OR ";
            where.bind("textLike", like);
        } else if (!userIds.isEmpty()) {
            users = "t.user_id IN (<textUsers>) OR ";
            where.bindList("textUsers", userIds);
        } else {
            users = "";
        }
        where.add("(" + users + "t.client_id = :text OR t.id = :text)");
        where.bind("text", text.trim());
    }
}
