package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.time.Clock;
import java.util.List;

/**
 * Token issuance for a user who authenticated elsewhere, requested by a trusted confidential
 * client holding {@code tokens:issue}. The tokens belong to that client, as if the user had
 * logged in to it. It never issues admin tokens (see {@link AdminAccess}).
 */
public final class TrustedIssuance {

    private final Transactions transactor;
    private final ClientAuthenticator clients;
    private final TokenIssuer issuer;
    private final Clock clock;

    public TrustedIssuance(Transactions transactor, ClientAuthenticator clients, TokenIssuer issuer, Clock clock) {
        this.transactor = transactor;
        this.clients = clients;
        this.issuer = issuer;
        this.clock = clock;
    }

    public IssuedTokens issue(String clientId, String clientSecret, String userId, List<String> scopes,
            String audience, DeviceInfo device, CallContext context) {
        Client client = clients.authenticateWithPermission(clientId, clientSecret, Client.ISSUE_TOKENS);
        RequestedAccess access = RequestedAccess.resolve(client, scopes, audience);
        if (access.isAdmin() || access.scopes().stream().anyMatch(AdminAccess::isAdminScope)) {
            // Admin tokens come only from an admin's own login, never from a backend's say-so.
            throw AuthorityException.permissionDenied("IssueTokens cannot issue the audience " + AdminAccess.AUDIENCE
                    + " or admin scopes");
        }
        CallContext asClient = context.withActor(Actor.client(client.clientId()));
        return transactor.inTransaction(tx -> {
            User user = tx.store(UserStore.class).findByIdForUpdate(userId)
                    .orElseThrow(() -> AuthorityException.notFound("user", userId));
            if (user.disabled()) {
                throw AuthorityException.failedPrecondition("user is disabled");
            }
            return issuer.startSession(tx, user, client, access, device, asClient, "session.issue", clock.instant());
        });
    }
}
