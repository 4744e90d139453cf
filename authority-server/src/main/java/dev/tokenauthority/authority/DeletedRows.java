package dev.tokenauthority.authority;

/**
 * How many rows of each kind deleting a user or a client removed with it (its access tokens,
 * refresh tokens, sessions and grants), for the audit event.
 */
public record DeletedRows(int accessTokens, int refreshTokens, int sessions, int grants) {
}
