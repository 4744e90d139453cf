package dev.tokenauthority.authority.verification;

import dev.tokenauthority.authority.AuthorityException;

/**
 * The access token of an {@code authorization: Bearer <token>} header (RFC 6750 section 2.1), as
 * admin calls and self-service calls carry it. The scheme is case-insensitive.
 */
public final class BearerToken {

    private static final String BEARER = "Bearer ";

    private BearerToken() {}

    /** The token of the header; UNAUTHENTICATED when there is no bearer header. */
    public static String of(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw AuthorityException.unauthenticated("missing bearer token in the authorization metadata");
        }
        return authorizationHeader.substring(BEARER.length()).trim();
    }
}
