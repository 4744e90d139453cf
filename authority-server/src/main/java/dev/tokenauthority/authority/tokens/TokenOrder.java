package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.error.AuthorityException;
import java.util.Locale;

/** The sort of a token listing: a column and a direction, e.g. {@code "expires_at desc"}. */
public record TokenOrder(Column column, boolean descending) {

    /** Sortable columns and the SQL expression each sorts by. Nullable columns sort as the epoch. */
    public enum Column {
        TOKEN_ID("t.id"),
        USER_EMAIL("u.email_normalized"),
        CLIENT_ID("t.client_id"),
        ISSUED_AT("t.issued_at"),
        LAST_USED_AT("COALESCE(t.last_used_at, t.issued_at)"),
        EXPIRES_AT("t.expires_at"),
        STATUS("t.status");

        private final String expression;

        Column(String expression) {
            this.expression = expression;
        }

        /** The SQL expression rows are sorted by. */
        public String expression() {
            return expression;
        }

        public boolean isTime() {
            return this == ISSUED_AT || this == LAST_USED_AT || this == EXPIRES_AT;
        }
    }

    public static final TokenOrder DEFAULT = new TokenOrder(Column.ISSUED_AT, true);

    /** Parses {@code order_by}; INVALID_ARGUMENT naming the field for an unknown column or direction. */
    public static TokenOrder parse(String orderBy) {
        if (orderBy == null || orderBy.isBlank()) {
            return DEFAULT;
        }
        String[] parts = orderBy.trim().toLowerCase(Locale.ROOT).split("\\s+");
        if (parts.length > 2 || (parts.length == 2 && !parts[1].equals("asc") && !parts[1].equals("desc"))) {
            throw AuthorityException.invalidArgument("order_by", "expected '<column> [asc|desc]'");
        }
        for (Column column : Column.values()) {
            if (column.name().toLowerCase(Locale.ROOT).equals(parts[0])) {
                return new TokenOrder(column, parts.length == 2 && parts[1].equals("desc"));
            }
        }
        throw AuthorityException.invalidArgument("order_by", "unknown column '" + parts[0]
                + "'; sortable: token_id, user_email, client_id, issued_at, last_used_at, expires_at, status");
    }

    public String sql() {
        String direction = descending ? " DESC" : " ASC";
        return column.expression + direction + ", t.id" + direction;
    }

    @Override
    public String toString() {
        return column.name().toLowerCase(Locale.ROOT) + (descending ? " desc" : " asc");
    }
}
