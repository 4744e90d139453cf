package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.SortColumn;
import dev.tokenauthority.authority.session.SessionColumn;
import dev.tokenauthority.authority.tokens.TokenColumn;

/**
 * The SQL expression behind each sort column of a listing, as the listing queries alias their
 * tables: refresh tokens {@code t}, sessions {@code s}, users {@code u}. Rows are sorted and
 * keyset-paged by it.
 */
final class SortExpressions {

    private SortExpressions() {}

    /** ORDER BY the column, then by {@code idColumn} so the order is total (keyset pages need that). */
    static String orderBy(ListOrder<?> order, String idColumn) {
        String direction = order.descending() ? " DESC" : " ASC";
        return of(order.column()) + direction + ", " + idColumn + direction;
    }

    static String of(SortColumn column) {
        if (column instanceof TokenColumn token) {
            return switch (token) {
                case TOKEN_ID -> "t.id";
                case USER_EMAIL -> "u.email_normalized";
                case CLIENT_ID -> "t.client_id";
                case ISSUED_AT -> "t.issued_at";
                // last_activity_at is last_used_at, or issued_at until first use (V4).
                case LAST_USED_AT -> "t.last_activity_at";
                case EXPIRES_AT -> "t.expires_at";
                case STATUS -> "t.status";
            };
        }
        if (column instanceof SessionColumn session) {
            return switch (session) {
                case SESSION_ID -> "s.id";
                case USER_EMAIL -> "u.email_normalized";
                case CLIENT_ID -> "s.client_id";
                case LOGIN_AT -> "s.created_at";
                case LAST_SEEN_AT -> "s.last_seen_at";
                case EXPIRES_AT -> "s.expires_at";
            };
        }
        throw new IllegalArgumentException("no listing sorts by " + column);
    }
}
