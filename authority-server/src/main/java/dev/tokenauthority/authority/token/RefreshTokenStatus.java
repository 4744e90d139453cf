package dev.tokenauthority.authority.token;

public enum RefreshTokenStatus {
    /** May be exchanged, once. */
    ACTIVE,
    /** Exchanged for its successor; presenting it again is reuse. */
    ROTATED,
    REVOKED,
    EXPIRED,
    /** Soft-revoked by an administrator: cannot be exchanged, its session's access tokens are denied, until resumed. */
    SUSPENDED;

    /** Whether a revocation of its session still has this token's row to change (ACTIVE or SUSPENDED). */
    public boolean isLive() {
        return this == ACTIVE || this == SUSPENDED;
    }
}
