package dev.tokenauthority.authority.token;

/** What one revocation-log entry says; each maps to one feed RevocationEntry variant. */
public enum RevocationKind {
    /** An access token, by jti. */
    TOKEN,
    /** A session: every access token carrying its sid. */
    SESSION,
    /** A user's token_invalidated_at watermark. */
    USER_WATERMARK,
    /** The global watermark (revoke all sessions). */
    GLOBAL_WATERMARK,
    /** The JWK set changed; the payload is the new set. */
    SIGNING_KEYS,
    /** A session suspended (soft revoke). */
    SESSION_SUSPENDED,
    /** A suspended session resumed. */
    SESSION_RESUMED
}
