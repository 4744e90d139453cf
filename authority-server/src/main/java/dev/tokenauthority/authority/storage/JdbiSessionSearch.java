package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.session.SessionColumn;
import dev.tokenauthority.authority.session.SessionItem;
import dev.tokenauthority.authority.session.SessionQuery;
import dev.tokenauthority.authority.session.SessionSearch;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link SessionSearch}. */
final class JdbiSessionSearch implements SessionSearch {

    private static final String SELECT = """
            SELECT s.*, u.email AS user_email, u.token_invalidated_at AS user_watermark,
                   (SELECT MAX(r.expires_at) FROM refresh_tokens r
                    WHERE r.session_id = s.id AND r.status IN ('ACTIVE', 'SUSPENDED')) AS refresh_expires_at""";
    private static final String FROM = " FROM sessions s JOIN users u ON u.id = s.user_id";
    private static final Rows.SessionMapper SESSION_MAPPER = new Rows.SessionMapper();

    private final Handle handle;

    JdbiSessionSearch(Handle handle) {
        this.handle = handle;
    }

    @Override
    public List<SessionItem> page(SessionQuery query, ListOrder<SessionColumn> order, PageCursor cursor, int limit,
            Instant now) {
        SqlConditions where = where(query, now);
        return where.page(handle, SELECT + FROM, order, cursor, "s.id", limit)
                .map((rs, ctx) -> new SessionItem(SESSION_MAPPER.map(rs, ctx), rs.getString("user_email"),
                        Rows.instant(rs, "refresh_expires_at"), Rows.instant(rs, "user_watermark")))
                .list();
    }

    @Override
    public long count(SessionQuery query, Instant now) {
        SqlConditions where = where(query, now);
        return where.bindTo(handle.createQuery("SELECT COUNT(*)" + FROM + where.where())).mapTo(Long.class).one();
    }

    private static SqlConditions where(SessionQuery q, Instant now) {
        SqlConditions where = new SqlConditions();
        where.contains(q.text(), "u.email_normalized", "LOWER(s.client_id)", "LOWER(s.id)");
        where.equal("s.user_id", "userId", q.userId());
        where.equal("s.client_id", "clientId", q.clientId());
        where.range("s.created_at", "login", q.loginAfter(), q.loginBefore());
        if (q.activeOnly()) {
            // Not one a force logout killed whose row has not followed yet (users is joined anyway).
            where.add("s.status = 'ACTIVE' AND s.expires_at > :now"
                    + " AND (u.token_invalidated_at IS NULL OR s.created_at > u.token_invalidated_at)");
            where.bind("now", now);
        }
        return where;
    }
}
