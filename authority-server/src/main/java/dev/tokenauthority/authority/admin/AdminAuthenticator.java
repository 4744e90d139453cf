package dev.tokenauthority.authority.admin;

import dev.tokenauthority.authority.error.AuthorityException;
import dev.tokenauthority.authority.storage.Transactor;
import dev.tokenauthority.authority.storage.UserDao;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.verification.AccessTokenClaims;
import dev.tokenauthority.authority.verification.AccessTokenVerifier;

/**
 * Authenticates admin calls: {@code authorization: Bearer <access token>} issued by this
 * authority, checked with the same rules a sidecar applies (signature, lifetime, revocations,
 * watermarks). Roles are read from the database on every call, so removing a role takes effect
 * at once rather than when the token expires.
 */
public final class AdminAuthenticator {

    private static final String BEARER = "Bearer ";

    private final AccessTokenVerifier verifier;
    private final Transactor transactor;

    public AdminAuthenticator(AccessTokenVerifier verifier, Transactor transactor) {
        this.verifier = verifier;
        this.transactor = transactor;
    }

    public AdminPrincipal authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw AuthorityException.unauthenticated("missing bearer token in the authorization metadata");
        }
        String token = authorizationHeader.substring(BEARER.length()).trim();
        AccessTokenClaims claims = verifier.verify(token)
                .orElseThrow(() -> AuthorityException.unauthenticated("bearer token is invalid, expired or revoked"));
        User user = transactor.read(h -> h.attach(UserDao.class).findById(claims.subject()))
                .filter(u -> !u.disabled())
                .orElseThrow(() -> AuthorityException.unauthenticated("bearer token is invalid, expired or revoked"));
        return new AdminPrincipal(user.id(), user.email(), Role.permissionsOf(user.roles()));
    }
}
