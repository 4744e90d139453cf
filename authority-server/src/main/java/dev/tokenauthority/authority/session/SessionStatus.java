package dev.tokenauthority.authority.session;

public enum SessionStatus {
    ACTIVE,
    REVOKED
}
