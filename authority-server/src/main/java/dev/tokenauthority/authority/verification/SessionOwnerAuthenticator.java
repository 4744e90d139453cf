package dev.tokenauthority.authority.verification;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.session.SessionOwner;
import dev.tokenauthority.authority.token.AccessTokenClaims;

/**
 * Authenticates a user's calls about their own sessions: {@code authorization: Bearer <access
 * token>}, a live access token of this authority (the check {@link AuthorityTokenVerifier} makes
 * for admin calls), of any client and audience, since a user needs no admin scope to see where
 * they are signed in. Anything else (a refresh token, a token of a revoked session, an expired one)
 * is UNAUTHENTICATED.
 *
 * <p>Every token this authority issues today belongs to a user's session. One that names no user or
 * no session (were a client ever to get a token of its own) is signed and current but speaks for
 * nobody's sessions: FAILED_PRECONDITION saying so, before the database is read.
 */
public final class SessionOwnerAuthenticator {

    private static final String INVALID = "bearer token is invalid, expired or revoked";

    private final AuthorityTokenVerifier verifier;

    public SessionOwnerAuthenticator(AuthorityTokenVerifier verifier) {
        this.verifier = verifier;
    }

    public SessionOwner authenticate(String authorizationHeader) {
        AccessTokenClaims claims = verifier.verifySignatureAndClaims(BearerToken.of(authorizationHeader))
                .orElseThrow(() -> AuthorityException.unauthenticated(INVALID));
        if (isBlank(claims.subject()) || isBlank(claims.sessionId())) {
            throw AuthorityException.failedPrecondition("the access token belongs to no user's session: "
                    + "sign in as a user to manage your sessions");
        }
        if (!verifier.isLive(claims)) {
            throw AuthorityException.unauthenticated(INVALID);
        }
        return new SessionOwner(claims.subject(), claims.sessionId());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
