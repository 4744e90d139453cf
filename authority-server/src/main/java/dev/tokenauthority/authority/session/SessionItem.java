package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.token.Session;
import java.time.Instant;

/** A session with its user's email and the expiry of its current refresh token. */
public record SessionItem(Session session, String userEmail, Instant refreshExpiresAt) {
}
