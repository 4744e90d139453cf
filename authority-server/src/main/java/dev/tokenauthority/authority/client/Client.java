package dev.tokenauthority.authority.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An application that obtains tokens. Public clients (browsers, mobile apps) hold no secret;
 * confidential clients authenticate with a secret of which only a hash is stored.
 * Lifetimes are per client: access-token lifetime, refresh-token inactivity
 * lifetime (sliding, reset on every rotation), absolute session lifetime, and the reuse grace.
 * A disabled client cannot authenticate.
 */
public record Client(
        String clientId,
        String name,
        boolean confidential,
        String secretHash,
        List<String> audiences,
        List<String> scopes,
        List<String> permissions,
        Duration accessTokenTtl,
        Duration refreshInactivityTtl,
        Duration sessionMaxTtl,
        Duration reuseGrace,
        Instant createdAt,
        Instant updatedAt,
        boolean disabled) {

    /** Permission letting a trusted backend issue tokens for a user who logged in elsewhere. */
    public static final String ISSUE_TOKENS = "tokens:issue";
    /** Permission letting a validator sidecar subscribe to the revocation feed. */
    public static final String SUBSCRIBE_FEED = "feed:subscribe";
    /** Permission letting a client see the user's email (username) when it introspects tokens of other clients. */
    public static final String INTROSPECT_EMAIL = "introspect:email";

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }
}
