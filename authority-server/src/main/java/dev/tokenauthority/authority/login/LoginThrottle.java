package dev.tokenauthority.authority.login;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits failed logins per account and per client IP within a fixed window, against password
 * guessing and credential stuffing.
 *
 * <p>Race-free across threads and replicas: a login <em>reserves</em> an attempt before its
 * password hash runs, in one transaction that locks the account's and then the IP's row of
 * {@code login_throttle} (always in that order, so two reservations cannot deadlock). A
 * reservation counts as a failure until the login succeeds, when the account's window is cleared
 * and the IP's attempt given back. So however many guesses race, on however many replicas sharing
 * the database, at most the limit of them ever reach the (slow, attacker-paid-for) hash; the rest
 * are refused without one.
 *
 * <p>Audit, aggregated so an attack cannot flood the trail: the first failure of an account's
 * window writes one {@code login.failed} event, later ones raise its {@code count}; a refusal does
 * the same with one {@code login.throttled} event on the account, or on the client IP when the IP
 * was over its limit (credential stuffing spreads over accounts, so it is aggregated where it
 * concentrates). An IPv6 caller counts under its /64 ({@link ThrottledAddress}).
 */
public final class LoginThrottle {

    /** A row that vanished between its creation and its lock (swept) is created again this many times at most. */
    private static final int MAX_ROUNDS = 3;
    /** Audit target ids are at most this long (the column's width); longer usernames are cut. */
    private static final int MAX_TARGET_ID = 128;

    private final Transactions transactor;
    private final LoginLimits limits;
    private final AuditLog audit;
    private final Clock clock;

    public LoginThrottle(Transactions transactor, LoginLimits limits, AuditLog audit, Clock clock) {
        this.transactor = transactor;
        this.limits = limits;
        this.audit = audit;
        this.clock = clock;
    }

    /** An attempt reserved in the account's window and, when the caller's IP is known, in the IP's. */
    public record Reservation(String account, String accountKey, String ipKey, Instant ipWindowStart) {
    }

    /** What a reservation transaction found: a missing row (create it and try again), a refusal, or the reservation. */
    private record Decision(boolean rowMissing, Reservation reservation) {
        static final Decision MISSING = new Decision(true, null);
        static final Decision REFUSED = new Decision(false, null);
    }

    /**
     * Reserves an attempt for {@code account} (normalized) before its password is checked; empty
     * when the account or the caller's IP is over its limit, the refusal audited and committed.
     */
    public Optional<Reservation> reserve(String account, CallContext context) {
        String accountKey = key("account", account);
        String address = ThrottledAddress.of(context.callerIp());
        String ipKey = address == null ? null : key("ip", address);
        for (int round = 1; ; round++) {
            Instant now = clock.instant();
            Decision decision = transactor.inTransaction(tx -> decide(tx, account, accountKey, ipKey, address, context,
                    now));
            if (!decision.rowMissing()) {
                return Optional.ofNullable(decision.reservation());
            }
            if (round == MAX_ROUNDS) {
                throw new IllegalStateException("login throttle rows keep disappearing");
            }
            transactor.read(tx -> {
                LoginThrottleStore rows = tx.store(LoginThrottleStore.class);
                rows.createIfAbsent(accountKey, now);
                if (ipKey != null) {
                    rows.createIfAbsent(ipKey, now);
                }
                return null;
            });
        }
    }

    private Decision decide(Transaction tx, String account, String accountKey, String ipKey, String address, CallContext context,
            Instant now) {
        LoginThrottleStore rows = tx.store(LoginThrottleStore.class);
        ThrottleWindow byAccount = rows.lock(accountKey).map(w -> w.current(now, limits.window())).orElse(null);
        ThrottleWindow byIp = ipKey == null ? null
                : rows.lock(ipKey).map(w -> w.current(now, limits.window())).orElse(null);
        if (byAccount != null && byAccount.attempts() >= limits.perAccount()) {
            rows.save(byAccount.withRefusal(aggregate(tx, context, "login.throttled", "account", account,
                    byAccount.throttledAuditId(), byAccount.refusals() + 1, byAccount.start(), now)));
            return Decision.REFUSED;
        }
        // Checked before the account's row is created: an address over its limit trying ever new usernames would
        // otherwise insert a row per request, as fast as it can send them.
        if (byIp != null && byIp.attempts() >= limits.perIp()) {
            rows.save(byIp.withRefusal(aggregate(tx, context, "login.throttled", "client_ip", address,
                    byIp.throttledAuditId(), byIp.refusals() + 1, byIp.start(), now)));
            return Decision.REFUSED;
        }
        if (byAccount == null || (ipKey != null && byIp == null)) {
            return Decision.MISSING;
        }
        rows.save(byAccount.withAttempt());
        if (byIp != null) {
            rows.save(byIp.withAttempt());
        }
        return new Decision(false, new Reservation(account, accountKey, ipKey, byIp == null ? null : byIp.start()));
    }

    /** The login failed (wrong password, unknown or disabled account): the reservation stays, and is audited. */
    public void failed(Reservation reservation, CallContext context) {
        transactor.useTransaction(tx -> {
            Instant now = clock.instant();
            LoginThrottleStore rows = tx.store(LoginThrottleStore.class);
            // A row swept since the reservation (only possible two windows later) has nothing left to count.
            rows.lock(reservation.accountKey()).map(w -> w.current(now, limits.window())).ifPresent(w ->
                    rows.save(w.withFailure(aggregate(tx, context, "login.failed", "account", reservation.account(),
                            w.failedAuditId(), w.failures() + 1, w.start(), now))));
        });
    }

    /** The login succeeded: the account starts a clean window and the IP gets its attempt back. */
    public void succeeded(Reservation reservation) {
        transactor.useTransaction(tx -> {
            LoginThrottleStore rows = tx.store(LoginThrottleStore.class);
            rows.save(new ThrottleWindow(reservation.accountKey(), clock.instant(), 0, 0, 0, null, null));
            if (reservation.ipKey() != null) {
                rows.release(reservation.ipKey(), reservation.ipWindowStart());
            }
        });
    }

    /**
     * Deletes windows that ended at least one window ago. Returns how many. A login still hashing
     * that long would find its row gone and count nothing, so the margin is a whole window.
     */
    public int sweep() {
        Instant cutoff = clock.instant().minus(limits.window().multipliedBy(2));
        return transactor.inTransaction(tx -> tx.store(LoginThrottleStore.class).deleteStartedBefore(cutoff));
    }

    /** Writes the window's aggregated event on its first occurrence, raises its count afterwards; returns its id. */
    private long aggregate(Transaction tx, CallContext context, String action, String targetType, String target, Long eventId,
            int count, Instant windowStart, Instant now) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", count);
        details.put("window_start", windowStart.toString());
        details.put("window_end", windowStart.plus(limits.window()).toString());
        details.put("last_at", now.toString());
        if (eventId == null) {
            String targetId = target.length() <= MAX_TARGET_ID ? target : target.substring(0, MAX_TARGET_ID - 1) + "…";
            return audit.record(tx, context, now, action, targetType, targetId, null, details);
        }
        audit.updateDetails(tx, eventId, details);
        return eventId;
    }

    /** Rows are keyed by a hash, so the table is fixed-width whatever a caller sends as a username. */
    private static String key(String kind, String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return kind + ":" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
