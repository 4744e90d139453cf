package dev.tokenauthority.sidecar.validation;

import dev.tokenauthority.api.v1.DenialReason;
import java.util.Objects;

/**
 * The answer for one token: valid with its claims, or denied with a reason. Denials are shared constants, and an
 * allow is built once per cached token, so deciding allocates nothing.
 *
 * @param valid whether the token is accepted
 * @param reason {@code DENIAL_REASON_UNSPECIFIED} when valid, otherwise why it was denied
 * @param claims the token's claims when valid, null when denied
 */
public record ValidationDecision(boolean valid, DenialReason reason, AccessTokenClaims claims) {

    private static final ValidationDecision[] DENIALS = new ValidationDecision[DenialReason.values().length];

    static {
        for (DenialReason reason : DenialReason.values()) {
            if (reason != DenialReason.UNRECOGNIZED && reason != DenialReason.DENIAL_REASON_UNSPECIFIED) {
                DENIALS[reason.ordinal()] = new ValidationDecision(false, reason, null);
            }
        }
    }

    public ValidationDecision {
        Objects.requireNonNull(reason, "reason");
        if (valid != (claims != null) || valid != (reason == DenialReason.DENIAL_REASON_UNSPECIFIED)) {
            throw new IllegalArgumentException("a valid decision has claims and no reason; a denial the opposite");
        }
    }

    /** An accepted token. */
    public static ValidationDecision allow(AccessTokenClaims claims) {
        return new ValidationDecision(true, DenialReason.DENIAL_REASON_UNSPECIFIED, claims);
    }

    /** A denial; {@code reason} must be a real reason, not UNSPECIFIED. */
    public static ValidationDecision deny(DenialReason reason) {
        ValidationDecision denial = reason == DenialReason.UNRECOGNIZED ? null : DENIALS[reason.ordinal()];
        if (denial == null) {
            throw new IllegalArgumentException("not a denial reason: " + reason);
        }
        return denial;
    }
}
