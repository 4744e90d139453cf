package dev.tokenauthority.authority.login;

import java.time.Duration;
import java.time.Instant;

/**
 * One throttle key's current window (a row of {@code login_throttle}): attempts reserved in it
 * (failures plus logins still hashing), failures and refusals counted for the audit, and the
 * window's aggregated {@code login.failed} and {@code login.throttled} audit events, if written.
 */
public record ThrottleWindow(String key, Instant start, int attempts, int failures, int refusals,
        Long failedAuditId, Long throttledAuditId) {

    /** This window, or a fresh empty one starting {@code now} when it has ended. */
    public ThrottleWindow current(Instant now, Duration length) {
        return now.isBefore(start.plus(length)) ? this : new ThrottleWindow(key, now, 0, 0, 0, null, null);
    }

    ThrottleWindow withAttempt() {
        return new ThrottleWindow(key, start, attempts + 1, failures, refusals, failedAuditId, throttledAuditId);
    }

    ThrottleWindow withFailure(long auditId) {
        return new ThrottleWindow(key, start, attempts, failures + 1, refusals, auditId, throttledAuditId);
    }

    ThrottleWindow withRefusal(long auditId) {
        return new ThrottleWindow(key, start, attempts, failures, refusals + 1, failedAuditId, auditId);
    }
}
