package dev.tokenauthority.authority.refresh;

public enum RefreshTokenStatus {
    /** May be exchanged, once. */
    ACTIVE,
    /** Exchanged for its successor; presenting it again is reuse. */
    ROTATED,
    REVOKED,
    EXPIRED
}
