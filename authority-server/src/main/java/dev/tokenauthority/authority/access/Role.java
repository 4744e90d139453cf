package dev.tokenauthority.authority.access;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The administrative roles and the permissions each grants. A user may hold several; roles
 * unknown here (an application's own) grant nothing administrative.
 *
 * <pre>
 *                 viewer  operator  admin
 * tokens:read       x        x        x
 * audit:read        x        x        x
 * tokens:write               x        x
 * sessions:write             x        x
 * users:write                         x
 * clients:write                       x
 * settings:write                      x
 * keys:write                          x
 * </pre>
 */
public enum Role {
    VIEWER(EnumSet.of(Permission.TOKENS_READ, Permission.AUDIT_READ)),
    OPERATOR(EnumSet.of(Permission.TOKENS_READ, Permission.AUDIT_READ, Permission.TOKENS_WRITE,
            Permission.SESSIONS_WRITE)),
    ADMIN(EnumSet.allOf(Permission.class));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Role> of(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The admin scopes the named roles grant: what an admin access token of their holder may carry. */
    public static Set<String> scopesOf(List<String> roles) {
        return Permission.scopesOf(permissionsOf(roles));
    }

    /** The union of the permissions of the named roles. */
    public static Set<Permission> permissionsOf(List<String> roles) {
        Set<Permission> result = EnumSet.noneOf(Permission.class);
        for (String label : roles) {
            of(label).ifPresent(role -> result.addAll(role.permissions));
        }
        return result;
    }
}
