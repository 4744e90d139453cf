package dev.tokenauthority.sidecar.validation;

import dev.tokenauthority.api.RevocationRetention;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link TokenValidator}, validated on construction. Start from
 * {@link #forIssuer(String, AcceptedAudiences)}, which states every default, and change one setting at a time with the
 * {@code with...} methods. The audiences have no default (see {@link AcceptedAudiences}).
 *
 * @param issuer the exact "iss" the authority puts in its tokens (RFC 9068 section 4: compared as a plain string, so
 *     no case folding and no trailing-slash normalisation)
 * @param audiences the audiences whose tokens are accepted, or explicitly any
 * @param clockSkew tolerance applied to exp, nbf and iat, for clock differences between authority and sidecar
 * @param cacheCapacity how many verified tokens the cache keeps; 0 disables caching
 */
public record ValidatorSettings(String issuer, AcceptedAudiences audiences, Duration clockSkew, int cacheCapacity) {

    /** Default {@link #clockSkew()}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    /** Default {@link #cacheCapacity()}: about 100 bytes of overhead plus the token text (~600 bytes) per entry. */
    public static final int DEFAULT_CACHE_CAPACITY = 100_000;

    /** Largest accepted {@link #clockSkew()}; more would make expiry meaningless. */
    public static final Duration MAX_CLOCK_SKEW = RevocationRetention.MAX_VALIDATOR_CLOCK_SKEW;

    public ValidatorSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audiences, "audiences");
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (issuer.isEmpty()) {
            throw new IllegalArgumentException("issuer must not be empty");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_CLOCK_SKEW);
        }
        if (cacheCapacity < 0) {
            throw new IllegalArgumentException("cacheCapacity must not be negative");
        }
    }

    /** Settings for tokens from {@code issuer} for {@code audiences}: 30 s skew, 100,000 cached tokens. */
    public static ValidatorSettings forIssuer(String issuer, AcceptedAudiences audiences) {
        return new ValidatorSettings(issuer, audiences, DEFAULT_CLOCK_SKEW, DEFAULT_CACHE_CAPACITY);
    }

    public ValidatorSettings withAudiences(AcceptedAudiences audiences) {
        return new ValidatorSettings(issuer, audiences, clockSkew, cacheCapacity);
    }

    public ValidatorSettings withClockSkew(Duration clockSkew) {
        return new ValidatorSettings(issuer, audiences, clockSkew, cacheCapacity);
    }

    public ValidatorSettings withCacheCapacity(int cacheCapacity) {
        return new ValidatorSettings(issuer, audiences, clockSkew, cacheCapacity);
    }
}
