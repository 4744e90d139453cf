package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.session.SessionColumn;
import dev.tokenauthority.authority.session.SessionListing.SessionItem;
import dev.tokenauthority.authority.session.SessionListing.SessionQuery;
import java.time.Instant;
import java.util.List;

/** The SQL behind session listings. */
public final class SessionSearch {

    private static final String SELECT = """
            SELECT s.*, u.email AS user_email,
                   (SELECT MAX(r.expires_at) FROM refresh_tokens r
                    WHERE r.session_id = s.id AND r.status IN ('ACTIVE', 'SUSPENDED')) AS refresh_expires_at""";
    private static final String FROM = " FROM sessions s JOIN users u ON u.id = s.user_id";

    private SessionSearch() {}

    public static List<SessionItem> page(Tx tx, SessionQuery query, ListOrder<SessionColumn> order, PageCursor cursor,
            int limit, Instant now) {
        SqlConditions where = where(query, now);
        where.after(cursor, order, "s.id");
        return where.bindTo(tx.createQuery(SELECT + FROM + where.where() + " ORDER BY " + order.sql("s.id")
                + " LIMIT :limit")).bind("limit", limit)
                .map((rs, ctx) -> new SessionItem(new Rows.SessionMapper().map(rs, ctx), rs.getString("user_email"),
                        Rows.instant(rs, "refresh_expires_at")))
                .list();
    }

    public static long count(Tx tx, SessionQuery query, Instant now) {
        SqlConditions where = where(query, now);
        return where.bindTo(tx.createQuery("SELECT COUNT(*)" + FROM + where.where())).mapTo(Long.class).one();
    }

    private static SqlConditions where(SessionQuery q, Instant now) {
        SqlConditions where = new SqlConditions();
        where.contains(q.text(), "u.email_normalized", "LOWER(s.client_id)", "LOWER(s.id)");
        where.equal("s.user_id", "userId", q.userId());
        where.equal("s.client_id", "clientId", q.clientId());
        where.range("s.created_at", "login", q.loginAfter(), q.loginBefore());
        if (q.activeOnly()) {
            where.add("s.status = 'ACTIVE' AND s.expires_at > :now");
            where.bind("now", now);
        }
        return where;
    }
}
