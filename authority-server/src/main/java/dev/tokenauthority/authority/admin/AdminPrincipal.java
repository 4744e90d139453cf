package dev.tokenauthority.authority.admin;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.audit.Actor;
import java.util.List;
import java.util.Set;

/**
 * An authenticated administrator as of this call: what their roles allow (read from the database
 * now) and the scopes their admin access token carries. A call needs both.
 */
public record AdminPrincipal(String userId, String email, Set<Permission> permissions, List<String> tokenScopes) {

    public AdminPrincipal {
        permissions = Set.copyOf(permissions);
        tokenScopes = List.copyOf(tokenScopes);
    }

    public void require(Permission permission) {
        if (!permissions.contains(permission)) {
            throw AuthorityException.permissionDenied("missing permission " + permission.label()
                    + ": none of the user's roles grants it");
        }
        if (!tokenScopes.contains(permission.scope())) {
            throw AuthorityException.permissionDenied("missing scope " + permission.scope()
                    + " for permission " + permission.label() + ": the access token does not carry it");
        }
    }

    public Actor actor() {
        return Actor.user(userId, email);
    }
}
