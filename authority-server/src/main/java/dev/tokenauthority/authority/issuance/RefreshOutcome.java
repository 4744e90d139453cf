package dev.tokenauthority.authority.issuance;

/**
 * How a refresh ended, as counted in metrics; a closed set, so each is one series. The caller is told only the new
 * pair or UNAUTHENTICATED, whatever the refusal. A client that fails to authenticate, or a string that is not a
 * refresh token at all, never reaches a token and is not counted here (the per-RPC metrics count it).
 */
public enum RefreshOutcome {
    /** The token was rotated: a new pair in a continuing chain. */
    ROTATED,
    /** A rotated token presented again within the client's reuse grace: its successor handed out again. */
    GRACE_RETRY,
    /** A rotated token presented again outside the grace (or after its successor moved on): the session is revoked. */
    REUSE_DETECTED,
    /** No such token, a wrong secret, or another client's token. */
    UNKNOWN,
    /** The token or its session had expired. */
    EXPIRED,
    /** The token was revoked, its session ended by a force logout, or its user disabled or deleted. */
    REVOKED,
    /** The token's session is suspended by an administrator. */
    SUSPENDED,
    /** The client's registration or the user's roles no longer allow anything the session held. */
    NO_ACCESS_LEFT,
    /** Within the grace, but the successor could not be handed out again (no longer active, or unverifiable). */
    GRACE_REFUSED
}
