package dev.tokenauthority.authority.login;

import dev.tokenauthority.authority.error.AuthorityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per account and per client IP within a window, against password guessing
 * and credential stuffing. Counters live in this process's memory: each replica throttles on its
 * own, which bounds a distributed attacker by replicas x limit; shared counters would need the
 * database on every failed login.
 */
public final class LoginThrottle {

    /** Failed logins allowed per account within the window (OWASP suggests a small number). */
    public static final int DEFAULT_ACCOUNT_LIMIT = 5;
    /** Failed logins allowed per client IP within the window, across accounts. */
    public static final int DEFAULT_IP_LIMIT = 50;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    /** Above this many tracked keys, expired windows are swept so memory stays bounded. */
    private static final int SWEEP_THRESHOLD = 100_000;

    private final int accountLimit;
    private final int ipLimit;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int accountLimit, int ipLimit, Duration window, Clock clock) {
        this.accountLimit = accountLimit;
        this.ipLimit = ipLimit;
        this.window = window;
        this.clock = clock;
    }

    private record Window(Instant start, int count) {}

    /** Refuses with RESOURCE_EXHAUSTED when the account or the IP is over its limit. */
    public void check(String account, String ip) {
        Instant now = clock.instant();
        if (count("a:" + account, now) >= accountLimit || (ip != null && count("i:" + ip, now) >= ipLimit)) {
            throw AuthorityException.resourceExhausted("too many failed logins, try again later");
        }
    }

    public void recordFailure(String account, String ip) {
        Instant now = clock.instant();
        increment("a:" + account, now);
        if (ip != null) {
            increment("i:" + ip, now);
        }
        if (failures.size() > SWEEP_THRESHOLD) {
            failures.values().removeIf(w -> isOver(w, now));
        }
    }

    public void recordSuccess(String account) {
        failures.remove("a:" + account);
    }

    private int count(String key, Instant now) {
        Window w = failures.get(key);
        return w == null || isOver(w, now) ? 0 : w.count();
    }

    private void increment(String key, Instant now) {
        failures.compute(key, (k, w) -> w == null || isOver(w, now) ? new Window(now, 1) : new Window(w.start(), w.count() + 1));
    }

    private boolean isOver(Window w, Instant now) {
        return !now.isBefore(w.start().plus(window));
    }
}
