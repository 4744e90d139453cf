package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.listing.SortColumn;

/**
 * The columns a token listing sorts by. A never-used token sorts by its issue time under
 * last_used_at: last_activity_at is last_used_at, or issued_at until first use (V4 migration).
 */
public enum TokenColumn implements SortColumn {
    TOKEN_ID("t.id"),
    USER_EMAIL("u.email_normalized"),
    CLIENT_ID("t.client_id"),
    ISSUED_AT("t.issued_at"),
    LAST_USED_AT("t.last_activity_at"),
    EXPIRES_AT("t.expires_at"),
    STATUS("t.status");

    private final String expression;

    TokenColumn(String expression) {
        this.expression = expression;
    }

    @Override
    public String expression() {
        return expression;
    }

    @Override
    public boolean isTime() {
        return this == ISSUED_AT || this == LAST_USED_AT || this == EXPIRES_AT;
    }
}
