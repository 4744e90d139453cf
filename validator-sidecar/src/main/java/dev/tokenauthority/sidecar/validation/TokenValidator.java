package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_EXPIRED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_INSUFFICIENT_SCOPE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_LIFETIME_TOO_LONG;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_NOT_YET_VALID;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_WRONG_AUDIENCE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_WRONG_ISSUER;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.sidecar.jose.JwkSet;
import dev.tokenauthority.sidecar.state.RevocationState;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an access token (RFC 9068) is acceptable right now, from local state only. Thread-safe; never
 * throws for any input: every failure is a {@link ValidationDecision} with a reason.
 *
 * <p>Order of checks, first failure wins:
 * <ol>
 *   <li>shape, header, key and signature ({@link SidecarTokenVerifier}): MALFORMED, BAD_SIGNATURE, UNKNOWN_KEY;</li>
 *   <li>claims format: MALFORMED;</li>
 *   <li>exp with skew: EXPIRED; nbf, and iat in the future, with skew: NOT_YET_VALID (RFC 7519 section 4.1);</li>
 *   <li>exp - iat longer than the authority's maximum access-token lifetime ({@link RevocationState#maxTokenLifetimeSeconds}):
 *   LIFETIME_TOO_LONG. The authority never issues such a token, so it was minted with a leaked key; refusing it bounds
 *   what a leaked retired key can do to its remaining publication window;</li>
 *   <li>iss exactly equal to the configured issuer: WRONG_ISSUER (RFC 9068 section 4);</li>
 *   <li>aud names one of the configured audiences (any, if so configured); a request that names an audience narrows
 *   this to that one, which must itself be configured: WRONG_AUDIENCE ({@link AcceptedAudiences});</li>
 *   <li>every required scope present: INSUFFICIENT_SCOPE;</li>
 *   <li>revocation ({@link RevocationState}): TOKEN_REVOKED, SESSION_REVOKED, TOKEN_SUSPENDED, USER_TOKENS_REVOKED,
 *   ALL_TOKENS_REVOKED.</li>
 * </ol>
 * Step 1 and 2 run once per distinct token; later requests with the same token hit the {@link VerifiedTokenCache} and
 * run steps 3 to 8 only. Feed freshness (FEED_STALE) is the caller's concern.
 */
public final class TokenValidator {

    private final ValidatorSettings settings;
    private final RevocationState state;
    private final Clock clock;
    private final long skewMillis;
    private final VerifiedTokenCache cache;

    public TokenValidator(ValidatorSettings settings, RevocationState state, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skewMillis = settings.clockSkew().toMillis();
        this.cache = new VerifiedTokenCache(settings.cacheCapacity());
    }

    /**
     * Decides on {@code token}.
     *
     * @param token the compact JWS exactly as presented, without "Bearer "
     * @param audience the audience the caller requires, one of the configured ones; null or empty means any configured
     * @param requiredScopes scopes the token must all carry; null or empty means none
     */
    public ValidationDecision validate(String token, String audience, Collection<String> requiredScopes) {
        try {
            long now = clock.millis();
            JwkSet keys = state.signingKeys();
            CachedToken entry = token == null ? null : cache.get(token);
            if (entry != null && keys.find(entry.key.kid()) != entry.key) {
                cache.remove(token, entry); // verified with a key that is no longer published as it was
                entry = null;
            }
            if (entry != null) {
                cache.recordHit();
            } else {
                SidecarTokenVerifier.Verified verified = SidecarTokenVerifier.verify(token, keys);
                entry = new CachedToken(verified.key(), verified.claims(), settings.issuer(), skewMillis);
                if (now < entry.expiredAtMillis) {
                    cache.put(token, entry, now);
                }
            }
            return decide(token, entry, now, audience, requiredScopes);
        } catch (TokenRejection rejection) {
            return ValidationDecision.deny(rejection.reason());
        } catch (RuntimeException unexpected) {
            // Fail closed: a bug or an input nobody foresaw must deny, never allow and never escape as an RPC error.
            return ValidationDecision.deny(DENIAL_REASON_MALFORMED);
        }
    }

    /** Number of verified tokens currently cached. */
    public int cachedTokenCount() {
        return cache.size();
    }

    /** Decisions that found the token in the verified-token cache (signed by a key still published as it was). */
    public long cacheHitCount() {
        return cache.hitCount();
    }

    private ValidationDecision decide(
            String token, CachedToken entry, long now, String audience, Collection<String> requiredScopes) {
        if (now >= entry.expiredAtMillis) {
            cache.remove(token, entry);
            return ValidationDecision.deny(DENIAL_REASON_EXPIRED);
        }
        if (now < entry.validFromMillis) {
            return ValidationDecision.deny(DENIAL_REASON_NOT_YET_VALID);
        }
        if (entry.lifetimeSeconds > state.maxTokenLifetimeSeconds()) {
            return ValidationDecision.deny(DENIAL_REASON_LIFETIME_TOO_LONG);
        }
        if (!entry.issuerMatches) {
            return ValidationDecision.deny(DENIAL_REASON_WRONG_ISSUER);
        }
        if (!settings.audiences().accept(entry.claims.audiences(), audience == null ? "" : audience)) {
            return ValidationDecision.deny(DENIAL_REASON_WRONG_AUDIENCE);
        }
        if (requiredScopes != null && !entry.claims.scopes().containsAll(requiredScopes)) {
            return ValidationDecision.deny(DENIAL_REASON_INSUFFICIENT_SCOPE);
        }
        Optional<DenialReason> revoked = state.revocationReason(entry.ids, entry.claims.sessionStartMicros());
        return revoked.isPresent() ? ValidationDecision.deny(revoked.get()) : entry.allowed;
    }
}
