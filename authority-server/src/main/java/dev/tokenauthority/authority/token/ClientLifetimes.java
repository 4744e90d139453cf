package dev.tokenauthority.authority.token;

import dev.tokenauthority.authority.AuthorityException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A client's token lifetimes and the rules every set of them obeys, whether a
 * client's own or the defaults new clients get from the settings.
 *
 * @param accessTokenTtl       how long an access token lives; at most the authority's maximum,
 *                             which bounds how long sidecars must remember a revocation
 * @param refreshInactivityTtl the sliding refresh-token lifetime, reset on every rotation
 * @param sessionMaxTtl        the absolute session lifetime; no shorter than the inactivity lifetime,
 *                             or the sliding window could never slide
 * @param reuseGrace           how long a rotated refresh token may be presented again without
 *                             counting as reuse, getting its same successor again (RFC 9700
 *                             section 4.14.2 discourages long ones)
 */
public record ClientLifetimes(Duration accessTokenTtl, Duration refreshInactivityTtl, Duration sessionMaxTtl,
        Duration reuseGrace) {

    /** The longest reuse grace: beyond a lost response or two racing tabs, a replay is a replay. */
    public static final Duration MAX_REUSE_GRACE = Duration.ofHours(1);
    /** The longest refresh or session lifetime: ten years keeps every expiry computation far from overflow. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    /** This set with each non-null value of {@code changes} in place of its own. */
    public ClientLifetimes with(ClientLifetimes changes) {
        return new ClientLifetimes(
                changes.accessTokenTtl != null ? changes.accessTokenTtl : accessTokenTtl,
                changes.refreshInactivityTtl != null ? changes.refreshInactivityTtl : refreshInactivityTtl,
                changes.sessionMaxTtl != null ? changes.sessionMaxTtl : sessionMaxTtl,
                changes.reuseGrace != null ? changes.reuseGrace : reuseGrace);
    }

    /**
     * INVALID_ARGUMENT naming the offending field unless every lifetime is positive whole seconds,
     * the access-token lifetime is at most {@code maxAccessTokenTtl}, the session lasts at least as
     * long as the inactivity lifetime, and the grace is between 0 and {@link #MAX_REUSE_GRACE}.
     * {@code field} turns a base name ({@code access_token_ttl}) into the request's field path.
     */
    public ClientLifetimes validate(Duration maxAccessTokenTtl, UnaryOperator<String> field) {
        positive(field.apply("access_token_ttl"), accessTokenTtl, maxAccessTokenTtl);
        positive(field.apply("refresh_inactivity_ttl"), refreshInactivityTtl, MAX_LIFETIME);
        positive(field.apply("session_max_ttl"), sessionMaxTtl, MAX_LIFETIME);
        if (sessionMaxTtl.compareTo(refreshInactivityTtl) < 0) {
            throw AuthorityException.invalidArgument(field.apply("session_max_ttl"),
                    "must be at least the refresh inactivity lifetime (" + refreshInactivityTtl + ")");
        }
        wholeSeconds(field.apply("reuse_grace"), reuseGrace);
        if (reuseGrace.isNegative() || reuseGrace.compareTo(MAX_REUSE_GRACE) > 0) {
            throw AuthorityException.invalidArgument(field.apply("reuse_grace"), "must be between 0 and " + MAX_REUSE_GRACE);
        }
        return this;
    }

    private static void positive(String field, Duration value, Duration max) {
        wholeSeconds(field, value);
        if (value.isNegative() || value.isZero()) {
            throw AuthorityException.invalidArgument(field, "must be positive");
        }
        if (value.compareTo(max) > 0) {
            throw AuthorityException.invalidArgument(field, "must be at most " + max);
        }
    }

    /** Lifetimes are stored in seconds; a fraction would be silently lost. */
    private static void wholeSeconds(String field, Duration value) {
        if (value.getNano() != 0) {
            throw AuthorityException.invalidArgument(field, "must be whole seconds");
        }
    }
}
