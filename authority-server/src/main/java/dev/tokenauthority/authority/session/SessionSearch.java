package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import java.time.Instant;
import java.util.List;

/** Sessions as administrators look for them, each with its user's email: the pages and count of the session list. */
public interface SessionSearch {

    /**
     * One page in {@code order}, strictly after {@code cursor} (null: the first), at most
     * {@code limit} sessions; {@code now} decides which are still active. Sessions added meanwhile
     * are neither repeated nor skipped (keyset pages).
     */
    List<SessionItem> page(SessionQuery query, ListOrder<SessionColumn> order, PageCursor cursor, int limit,
            Instant now);

    /** The number of matching sessions. */
    long count(SessionQuery query, Instant now);
}
