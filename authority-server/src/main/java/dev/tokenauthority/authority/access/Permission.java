package dev.tokenauthority.authority.access;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What an administrator may do; roles grant sets of these (see {@link Role}), and an admin access
 * token must also carry the permission's scope (see {@link AdminAccess}). Related permissions share
 * one scope, so a token asks for a handful of scopes rather than one per permission.
 *
 * <pre>
 * permission       scope
 * tokens:read      admin:read
 * audit:read       admin:read
 * tokens:write     admin:write
 * sessions:write   admin:write
 * users:write      admin:users
 * clients:write    admin:clients
 * settings:write   admin:settings
 * keys:write       admin:keys
 * </pre>
 */
public enum Permission {
    TOKENS_READ("tokens:read", "admin:read"),
    TOKENS_WRITE("tokens:write", "admin:write"),
    SESSIONS_WRITE("sessions:write", "admin:write"),
    USERS_WRITE("users:write", "admin:users"),
    CLIENTS_WRITE("clients:write", "admin:clients"),
    SETTINGS_WRITE("settings:write", "admin:settings"),
    AUDIT_READ("audit:read", "admin:read"),
    KEYS_WRITE("keys:write", "admin:keys");

    private final String label;
    private final String scope;

    Permission(String label, String scope) {
        this.label = label;
        this.scope = scope;
    }

    /** The name used in documentation and error messages, e.g. {@code tokens:read}. */
    public String label() {
        return label;
    }

    /** The scope an admin access token must carry to use this permission, e.g. {@code admin:read}. */
    public String scope() {
        return scope;
    }

    /** Every admin scope, in the order of the table above. */
    public static Set<String> allScopes() {
        return scopesOf(EnumSet.allOf(Permission.class));
    }

    /** The scopes of these permissions. */
    public static Set<String> scopesOf(Set<Permission> permissions) {
        Set<String> scopes = new LinkedHashSet<>();
        for (Permission permission : values()) {
            if (permissions.contains(permission)) {
                scopes.add(permission.scope);
            }
        }
        return scopes;
    }
}
