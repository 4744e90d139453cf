package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.access.Role;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.token.Session;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes and audience a token will carry: what was asked, within what the client may request,
 * and, for admin scopes, what the user's roles grant (see {@link AdminAccess}).
 */
public record RequestedAccess(List<String> scopes, List<String> audience) {

    public RequestedAccess {
        scopes = List.copyOf(scopes);
        audience = List.copyOf(audience);
    }

    /**
     * Empty requests mean "everything the client may have". Anything outside the client's
     * registration is refused rather than silently dropped, so a client learns of its mistake.
     */
    public static RequestedAccess resolve(Client client, List<String> requestedScopes, String requestedAudience) {
        List<String> scopes = requestedScopes.isEmpty()
                ? client.scopes()
                : List.copyOf(new LinkedHashSet<>(requestedScopes));
        for (String scope : scopes) {
            if (!client.scopes().contains(scope)) {
                throw AuthorityException.invalidArgument("scopes", "scope '" + scope + "' is not allowed for this client");
            }
        }
        List<String> audience;
        if (requestedAudience == null || requestedAudience.isEmpty()) {
            audience = client.audiences();
        } else if (client.audiences().contains(requestedAudience)) {
            audience = List.of(requestedAudience);
        } else {
            throw AuthorityException.invalidArgument("audience", "audience is not allowed for this client");
        }
        if (audience.isEmpty()) {
            throw AuthorityException.failedPrecondition("client has no audience configured");
        }
        return new RequestedAccess(scopes, audience);
    }

    /**
     * Narrows the admin scopes to those the user's roles grant now (RFC 6749 section 3.3 lets the
     * authority issue less than was asked; the response lists what was issued). An admin-audience
     * token with no admin scope left would open nothing but the user's own sessions, so it is
     * refused, except to the console, which signs every user in for those (see
     * {@link AdminAccess#signsInUsersWithoutAdminRole}).
     */
    public RequestedAccess forUser(List<String> roles, String clientId) {
        RequestedAccess narrowed = new RequestedAccess(withinRoles(scopes, roles), audience);
        if (narrowed.isAdminWithoutAdminScope() && !AdminAccess.signsInUsersWithoutAdminRole(clientId)) {
            throw AuthorityException.permissionDenied("the user's roles grant none of the requested admin scopes: "
                    + "no token can be issued for the audience " + AdminAccess.AUDIENCE);
        }
        return narrowed;
    }

    /** Whether the token is for the admin audience. */
    public boolean isAdmin() {
        return audience.contains(AdminAccess.AUDIENCE);
    }

    /** An admin-audience token without an admin scope: it would open nothing, so it is never issued. */
    private boolean isAdminWithoutAdminScope() {
        return isAdmin() && scopes.stream().noneMatch(AdminAccess::isAdminScope);
    }

    /**
     * What an existing session may still carry on its next refresh: its audience and scopes
     * within what the client may request now and, for admin scopes, what the user's roles grant
     * now. Empty when nothing usable is left (no audience, or an admin session that has lost its
     * last admin scope): the session cannot continue. A console session begun without an admin
     * scope (a user without an admin role, signed in for their own sessions) lost nothing and goes on.
     */
    public static Optional<RequestedAccess> stillAllowed(Session session, Client client, List<String> roles) {
        List<String> audience = session.audience().stream().filter(client.audiences()::contains).toList();
        List<String> scopes = withinRoles(
                session.scopes().stream().filter(client.scopes()::contains).toList(), roles);
        RequestedAccess access = new RequestedAccess(scopes, audience);
        boolean begunWithoutAdminScope = session.scopes().stream().noneMatch(AdminAccess::isAdminScope)
                && AdminAccess.signsInUsersWithoutAdminRole(client.clientId());
        if (audience.isEmpty() || access.isAdminWithoutAdminScope() && !begunWithoutAdminScope) {
            return Optional.empty();
        }
        return Optional.of(access);
    }

    private static List<String> withinRoles(List<String> scopes, List<String> roles) {
        Set<String> granted = Role.scopesOf(roles);
        return scopes.stream().filter(s -> !AdminAccess.isAdminScope(s) || granted.contains(s)).toList();
    }
}
