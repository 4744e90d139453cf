package dev.tokenauthority.authority.admin;

/** What an administrator may do; roles grant sets of these (see {@link Role}). */
public enum Permission {
    TOKENS_READ("tokens:read"),
    TOKENS_WRITE("tokens:write"),
    SESSIONS_WRITE("sessions:write"),
    USERS_WRITE("users:write"),
    CLIENTS_WRITE("clients:write"),
    SETTINGS_WRITE("settings:write"),
    AUDIT_READ("audit:read"),
    KEYS_WRITE("keys:write");

    private final String label;

    Permission(String label) {
        this.label = label;
    }

    /** The name used in documentation and error messages, e.g. {@code tokens:read}. */
    public String label() {
        return label;
    }
}
