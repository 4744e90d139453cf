package dev.tokenauthority.authority.user;

import java.time.Instant;
import java.util.List;

/**
 * A person who logs in. {@code tokenInvalidatedAt} is the force-logout watermark: every token
 * issued to the user at or before it is dead.
 */
public record User(
        String id,
        String email,
        String passwordHash,
        List<String> roles,
        boolean disabled,
        Instant tokenInvalidatedAt,
        Instant createdAt,
        Instant updatedAt) {

    /** Emails are unique regardless of case; this is the form the uniqueness applies to. */
    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
