package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.listing.SortColumn;

/** The columns a session listing sorts by. */
public enum SessionColumn implements SortColumn {
    SESSION_ID,
    USER_EMAIL,
    CLIENT_ID,
    LOGIN_AT,
    LAST_SEEN_AT,
    EXPIRES_AT;

    @Override
    public boolean isTime() {
        return this == LOGIN_AT || this == LAST_SEEN_AT || this == EXPIRES_AT;
    }
}
