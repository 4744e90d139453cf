package dev.tokenauthority.authority.session;

import java.time.Instant;

/**
 * Which sessions an administrator means; null fields do not filter. The text matches part of the
 * user's email, the client id or the session id (case-insensitive); active only means ACTIVE and
 * not past its end.
 */
public record SessionQuery(String text, String userId, String clientId, boolean activeOnly, Instant loginAfter,
        Instant loginBefore) {
}
