package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.refresh.RefreshTokenStatus;
import dev.tokenauthority.authority.tokens.TokenColumn;
import dev.tokenauthority.authority.tokens.TokenListItem;
import dev.tokenauthority.authority.tokens.TokenQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL behind token listings, counts, exports and filtered bulk revocation: one WHERE clause
 * built from a {@link TokenQuery}, every value bound as a parameter, portable across H2 and
 * PostgreSQL.
 */
public final class TokenSearch {

    private static final String SELECT = "SELECT t.*, u.email AS user_email";
    private static final String FROM = " FROM refresh_tokens t JOIN users u ON u.id = t.user_id";
    /** Rows fetched per round trip when streaming a whole result (exports, bulk revocation). */
    private static final int FETCH_SIZE = 1000;

    private TokenSearch() {}

    /** One page after {@code cursor} (null: the first), at most {@code limit} rows. */
    public static List<TokenListItem> page(Tx tx, TokenQuery query, ListOrder<TokenColumn> order, PageCursor cursor,
            int limit, Instant now) {
        SqlConditions where = where(query, now);
        where.after(cursor, order, "t.id");
        return where.bindTo(tx.createQuery(SELECT + FROM + where.where() + " ORDER BY " + order.sql("t.id")
                + " LIMIT :limit")).bind("limit", limit).map(TokenSearch::item).list();
    }

    public static long count(Tx tx, TokenQuery query, Instant now) {
        SqlConditions where = where(query, now);
        return where.bindTo(tx.createQuery("SELECT COUNT(*)" + FROM + where.where())).mapTo(Long.class).one();
    }

    /** Streams every matching token in id order without holding the result in memory (inside a transaction). */
    public static void forEach(Tx tx, TokenQuery query, Instant now, Consumer<TokenListItem> action) {
        SqlConditions where = where(query, now);
        try (var stream = where.bindTo(tx.createQuery(SELECT + FROM + where.where() + " ORDER BY t.id"))
                .setFetchSize(FETCH_SIZE).map(TokenSearch::item).stream()) {
            stream.forEach(action);
        }
    }

    /** The token with this id and its user's email. */
    public static java.util.Optional<TokenListItem> find(Tx tx, String tokenId) {
        return tx.createQuery(SELECT + FROM + " WHERE t.id = :id").bind("id", tokenId).map(TokenSearch::item).findOne();
    }

    /** The sort value of a row, as a page cursor stores it. */
    public static String sortValue(TokenListItem item, TokenColumn column) {
        var t = item.token();
        return switch (column) {
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

    private static SqlConditions where(TokenQuery q, Instant now) {
        SqlConditions where = new SqlConditions();
        where.contains(q.text(), "u.email_normalized", "LOWER(t.client_id)", "LOWER(t.id)");
        where.equal("t.user_id", "userId", q.userId());
        where.equal("t.client_id", "clientId", q.clientId());
        where.equal("t.session_id", "sessionId", q.sessionId());
        where.range("t.issued_at", "issued", q.issued().after(), q.issued().before());
        where.range("COALESCE(t.last_used_at, t.issued_at)", "lastUsed", q.lastUsed().after(), q.lastUsed().before());
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
}
