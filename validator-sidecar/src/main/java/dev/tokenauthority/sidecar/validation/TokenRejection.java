package dev.tokenauthority.sidecar.validation;

import dev.tokenauthority.api.v1.DenialReason;

/**
 * Internal control flow: a check failed with this reason. Never leaves {@link TokenValidator}, which turns it into a
 * {@link ValidationDecision}. No stack trace and a shared instance per reason, because rejecting garbage is routine
 * and must stay cheap.
 */
final class TokenRejection extends RuntimeException {

    private static final TokenRejection[] BY_REASON = new TokenRejection[DenialReason.values().length];

    static {
        for (DenialReason reason : DenialReason.values()) {
            if (reason != DenialReason.UNRECOGNIZED) {
                BY_REASON[reason.ordinal()] = new TokenRejection(reason);
            }
        }
    }

    private final transient DenialReason reason;

    private TokenRejection(DenialReason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    static TokenRejection of(DenialReason reason) {
        return BY_REASON[reason.ordinal()];
    }

    DenialReason reason() {
        return reason;
    }
}
