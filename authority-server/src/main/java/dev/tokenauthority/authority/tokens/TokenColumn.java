package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.listing.SortColumn;

/**
 * The columns a token listing sorts by. A never-used token sorts by its issue time under
 * last_used_at: last_activity_at is last_used_at, or issued_at until first use (V4 migration).
 */
public enum TokenColumn implements SortColumn {
    TOKEN_ID,
    USER_EMAIL,
    CLIENT_ID,
    ISSUED_AT,
    LAST_USED_AT,
    EXPIRES_AT,
    STATUS;

    @Override
    public boolean isTime() {
        return this == ISSUED_AT || this == LAST_USED_AT || this == EXPIRES_AT;
    }
}
