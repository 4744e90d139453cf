package dev.tokenauthority.sidecar.server;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.sidecar.feed.FeedFreshness;
import dev.tokenauthority.sidecar.validation.TokenValidator;
import dev.tokenauthority.sidecar.validation.ValidationDecision;
import java.util.Collection;

/**
 * The one decision every sidecar API (Validate, Envoy's ext_authz Check) gives for a token: the
 * validator's, unless the revocation state is too old to decide on (FEED_STALE under
 * fail-closed, or before the first snapshot under either policy).
 */
public final class LocalDecisions {

    private final TokenValidator validator;
    private final FeedFreshness freshness;
    private final StalePolicy stalePolicy;

    public LocalDecisions(TokenValidator validator, FeedFreshness freshness, StalePolicy stalePolicy) {
        this.validator = validator;
        this.freshness = freshness;
        this.stalePolicy = stalePolicy;
    }

    public ValidationDecision decide(String token, String audience, Collection<String> requiredScopes) {
        if (!freshness.isFresh() && (stalePolicy == StalePolicy.FAIL_CLOSED || !freshness.hasSnapshot())) {
            return ValidationDecision.deny(DenialReason.DENIAL_REASON_FEED_STALE);
        }
        return validator.validate(token, audience, requiredScopes);
    }
}
