package dev.tokenauthority.authority.admin;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.access.Role;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientStore;
import dev.tokenauthority.authority.token.AccessTokenClaims;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import dev.tokenauthority.authority.verification.AuthorityTokenVerifier;
import dev.tokenauthority.authority.verification.BearerToken;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates admin calls: {@code authorization: Bearer <access token>} issued by this
 * authority, checked with the same rules a sidecar applies (signature, lifetime, revocations,
 * watermarks), then held to the admin token model of {@link AdminAccess}: the admin audience,
 * an admin client that still exists, is enabled and still has that audience, and an enabled user.
 * Roles and clients are read from the database on every call, so removing a role or disabling the
 * client takes effect at once rather than when the token expires.
 */
public final class AdminAuthenticator {

    private static final String INVALID = "bearer token is invalid, expired or revoked";

    private final AuthorityTokenVerifier verifier;
    private final Transactions transactor;

    public AdminAuthenticator(AuthorityTokenVerifier verifier, Transactions transactor) {
        this.verifier = verifier;
        this.transactor = transactor;
    }

    public AdminPrincipal authenticate(String authorizationHeader) {
        AccessTokenClaims claims = verifier.verify(BearerToken.of(authorizationHeader))
                .orElseThrow(() -> AuthorityException.unauthenticated(INVALID));
        // Exactly the admin audience: a token also for an application's API (an admin client
        // registered with another audience before the reservation existed) would open both.
        if (!claims.audience().equals(List.of(AdminAccess.AUDIENCE))) {
            throw AuthorityException.permissionDenied("the access token's audience is not " + AdminAccess.AUDIENCE
                    + " alone: log in with the client " + AdminAccess.CLI_CLIENT + " or " + AdminAccess.CONSOLE_CLIENT
                    + " for an admin token");
        }
        return transactor.read(tx -> {
            User user = tx.store(UserStore.class).findById(claims.subject())
                    .filter(u -> !u.disabled())
                    .orElseThrow(() -> AuthorityException.unauthenticated(INVALID));
            Optional<Client> client = tx.store(ClientStore.class).findById(claims.clientId());
            boolean adminClient = AdminAccess.isAdminClient(claims.clientId()) && client.isPresent()
                    && !client.get().disabled() && client.get().audiences().contains(AdminAccess.AUDIENCE);
            if (!adminClient) {
                throw AuthorityException.permissionDenied("the access token was issued to the client "
                        + claims.clientId() + ", which may not request the audience " + AdminAccess.AUDIENCE);
            }
            return new AdminPrincipal(user.id(), user.email(), Role.permissionsOf(user.roles()), claims.scopes());
        });
    }
}
