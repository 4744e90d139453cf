package dev.tokenauthority.authority.login;

import java.time.Duration;

/**
 * How many failed logins the throttle allows per account and per client IP within one fixed
 * window. A window starts with the first attempt after the previous one ended.
 */
public record LoginLimits(int perAccount, int perIp, Duration window) {

    /** Failed logins allowed per account within the window (OWASP suggests a small number). */
    public static final int DEFAULT_ACCOUNT_LIMIT = 5;
    /** Failed logins allowed per client IP within the window, across accounts. */
    public static final int DEFAULT_IP_LIMIT = 50;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    public static final LoginLimits DEFAULTS = new LoginLimits(DEFAULT_ACCOUNT_LIMIT, DEFAULT_IP_LIMIT, DEFAULT_WINDOW);

    public LoginLimits {
        if (perAccount < 1 || perIp < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("login limits must be positive");
        }
    }
}
