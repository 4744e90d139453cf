package dev.tokenauthority.authority;

/**
 * A domain failure with a category the transport maps to its own status (see
 * {@code api.GrpcCalls}). Messages are safe to show a caller: they never contain a secret,
 * SQL or a stack trace, and UNAUTHENTICATED never says which credential was wrong.
 */
public class AuthorityException extends RuntimeException {

    public enum Kind {
        INVALID_ARGUMENT,
        UNAUTHENTICATED,
        PERMISSION_DENIED,
        NOT_FOUND,
        ALREADY_EXISTS,
        FAILED_PRECONDITION,
        RESOURCE_EXHAUSTED,
        UNAVAILABLE
    }

    private final Kind kind;

    public AuthorityException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public AuthorityException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** A field of the request is missing, malformed or too large; the message names the field. */
    public static AuthorityException invalidArgument(String field, String problem) {
        return new AuthorityException(Kind.INVALID_ARGUMENT, field + ": " + problem);
    }

    /** Deliberately vague: a caller learns nothing about which part of its credentials failed. */
    public static AuthorityException unauthenticated(String message) {
        return new AuthorityException(Kind.UNAUTHENTICATED, message);
    }

    public static AuthorityException permissionDenied(String message) {
        return new AuthorityException(Kind.PERMISSION_DENIED, message);
    }

    public static AuthorityException notFound(String what, String id) {
        return new AuthorityException(Kind.NOT_FOUND, what + " not found: " + id);
    }

    public static AuthorityException failedPrecondition(String message) {
        return new AuthorityException(Kind.FAILED_PRECONDITION, message);
    }

    public static AuthorityException resourceExhausted(String message) {
        return new AuthorityException(Kind.RESOURCE_EXHAUSTED, message);
    }

    public static AuthorityException unavailable(String message, Throwable cause) {
        return new AuthorityException(Kind.UNAVAILABLE, message, cause);
    }
}
