package dev.tokenauthority.api;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a revocation entry must be kept, by the authority and by every validator: the one
 * place this rule is stated in code (feed.proto's RevocationEntry says it on the wire).
 *
 * <p>An entry's {@code expires_at} is when it stops affecting a token checked by a validator
 * whose clock agrees with the authority's. A validator accepts a token until its {@code exp}
 * plus the validator's clock skew, so it must keep the entry until {@code expires_at} plus that
 * skew; if it forgot the entry sooner, a revoked token would turn valid again in between. The
 * authority does not know its validators' skews, so it keeps every entry (and sends it in every
 * snapshot) until {@code expires_at} plus the largest skew a validator may be configured with.
 * Both add {@link #ROUNDING_MARGIN}, because validators keep expiries to the second.
 */
public final class RevocationRetention {

    /** The largest clock skew a validator accepts in its configuration. */
    public static final Duration MAX_VALIDATOR_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Covers expiries truncated to whole seconds and a sweep that runs a moment late. */
    public static final Duration ROUNDING_MARGIN = Duration.ofSeconds(2);

    private RevocationRetention() {}

    /** How long after {@code expires_at} a validator with {@code clockSkew} keeps an entry. */
    public static Duration atValidator(Duration clockSkew) {
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_VALIDATOR_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and " + MAX_VALIDATOR_CLOCK_SKEW);
        }
        return clockSkew.plus(ROUNDING_MARGIN);
    }

    /** How long after {@code expires_at} the authority keeps an entry in its log and its snapshots. */
    public static Duration atAuthority() {
        return MAX_VALIDATOR_CLOCK_SKEW.plus(ROUNDING_MARGIN);
    }

    /** Whether the authority still keeps an entry expiring at {@code expiresAt}. */
    public static boolean keptByAuthority(Instant expiresAt, Instant now) {
        return !expiresAt.plus(atAuthority()).isBefore(now);
    }
}
