package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStatus;
import java.time.Instant;

/**
 * A session with its user's email, the expiry of its current refresh token, and its user's
 * force-logout watermark (token_invalidated_at, null if never set).
 */
public record SessionItem(Session session, String userEmail, Instant refreshExpiresAt, Instant userWatermark) {

    /** The status an administrator sees: an active session begun at or before a force logout is REVOKED already. */
    public SessionStatus status() {
        if (session.status() == SessionStatus.ACTIVE && userWatermark != null
                && !session.createdAt().isAfter(userWatermark)) {
            return SessionStatus.REVOKED;
        }
        return session.status();
    }
}
