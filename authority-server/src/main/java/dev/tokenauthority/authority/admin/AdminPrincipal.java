package dev.tokenauthority.authority.admin;

import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.error.AuthorityException;
import java.util.Set;

/** An authenticated administrator and what their roles allow, as of this call. */
public record AdminPrincipal(String userId, String email, Set<Permission> permissions) {

    public void require(Permission permission) {
        if (!permissions.contains(permission)) {
            throw AuthorityException.permissionDenied("missing permission " + permission.label());
        }
    }

    public Actor actor() {
        return Actor.user(userId, email);
    }
}
