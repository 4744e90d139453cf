package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.listing.SortColumn;

/** The columns a session listing sorts by. */
public enum SessionColumn implements SortColumn {
    SESSION_ID("s.id"),
    USER_EMAIL("u.email_normalized"),
    CLIENT_ID("s.client_id"),
    LOGIN_AT("s.created_at"),
    LAST_SEEN_AT("s.last_seen_at"),
    EXPIRES_AT("s.expires_at");

    private final String expression;

    SessionColumn(String expression) {
        this.expression = expression;
    }

    @Override
    public String expression() {
        return expression;
    }

    @Override
    public boolean isTime() {
        return this == LOGIN_AT || this == LAST_SEEN_AT || this == EXPIRES_AT;
    }
}
