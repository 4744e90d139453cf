package dev.tokenauthority.authority.token;

public enum SessionStatus {
    ACTIVE,
    REVOKED
}
