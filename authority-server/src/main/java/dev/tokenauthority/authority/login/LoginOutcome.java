package dev.tokenauthority.authority.login;

/**
 * How a password login ended, as counted in metrics. The caller is told only success,
 * UNAUTHENTICATED (bad credentials and disabled alike, so an account's state does not leak) or
 * RESOURCE_EXHAUSTED.
 */
public enum LoginOutcome {
    SUCCESS,
    /** Unknown account or wrong password. */
    BAD_CREDENTIALS,
    /** Refused by the throttle before any password hash ran. */
    THROTTLED,
    /** The right password for a disabled account. */
    DISABLED,
    /** Refused at once because the authority was already hashing all the passwords it can (see the hash pool). */
    OVERLOADED
}
