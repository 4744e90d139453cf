package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.listing.Paging;
import dev.tokenauthority.authority.token.Session;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Sessions for administrators: who is logged in, from where, until when. */
public final class SessionListing {

    public static final ListOrder<SessionColumn> DEFAULT_ORDER = new ListOrder<>(SessionColumn.LAST_SEEN_AT, true);

    private final Transactions transactor;
    private final Clock clock;

    public SessionListing(Transactions transactor, Clock clock) {
        this.transactor = transactor;
        this.clock = clock;
    }

    public record Page(List<SessionItem> items, String nextPageToken, long totalSize) {
    }

    public Page list(SessionQuery query, ListOrder<SessionColumn> order, int pageSize, String pageToken) {
        int size = Paging.pageSize(pageSize);
        String fingerprint = Paging.fingerprint(query, order);
        PageCursor cursor = PageCursor.decode(pageToken, fingerprint);
        Instant now = clock.instant();
        return transactor.read(tx -> {
            SessionSearch search = tx.store(SessionSearch.class);
            Paging.Slice<SessionItem> slice = Paging.slice(search.page(query, order, cursor, size + 1, now),
                    size, item -> sortValue(item, order.column()), item -> item.session().id(), fingerprint);
            return new Page(slice.rows(), slice.nextPageToken(), search.count(query, now));
        });
    }

    private static String sortValue(SessionItem item, SessionColumn column) {
        Session s = item.session();
        return switch (column) {
            case SESSION_ID -> s.id();
            case USER_EMAIL -> item.userEmail().toLowerCase(Locale.ROOT);
            case CLIENT_ID -> s.clientId();
            case LOGIN_AT -> s.createdAt().toString();
            case LAST_SEEN_AT -> s.lastSeenAt().toString();
            case EXPIRES_AT -> s.expiresAt().toString();
        };
    }
}
