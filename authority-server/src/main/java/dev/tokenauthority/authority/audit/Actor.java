package dev.tokenauthority.authority.audit;

/** Who caused an audited change. */
public record Actor(Type type, String id, String email) {

    public enum Type {
        USER,
        CLIENT,
        SYSTEM
    }

    public static Actor user(String id, String email) {
        return new Actor(Type.USER, id, email);
    }

    public static Actor client(String clientId) {
        return new Actor(Type.CLIENT, clientId, null);
    }

    public static Actor system() {
        return new Actor(Type.SYSTEM, "system", null);
    }

    /** The short form stored in revoked_by columns. */
    public String label() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }
}
