package dev.tokenauthority.authority.revocation;

import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.events.EventOutbox;
import dev.tokenauthority.authority.events.EventType;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.AccessTokenStore.AccessTokenRecord;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLog;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.token.TokenPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every way a token dies, each in the caller's transaction together with its revocation-log
 * entry (what sidecars enforce), its audit event and the Security Events it owes the registered
 * receivers ({@link EventOutbox}): a session (a token family), one access
 * token, all of a user's tokens (watermark), and all tokens (global watermark).
 *
 * <p>Each operation is idempotent: revoking what is already revoked changes nothing and appends
 * nothing to the log.
 */
public final class Revocations {

    /**
     * The most sessions one revocation ends with their tokens' rows rewritten in its own
     * transaction; beyond, the rows follow after the commit. Small revocations (a logout, a
     * session, a token family) keep every row right at once.
     */
    public static final int TOKEN_ROWS_IN_CALL_MAX = 100;

    /** The audit action of a user-wide revocation caused by a role removal (see {@code UserAdministration}). */
    public static final String USER_REVOKE_ON_ROLE_REMOVAL = "user.revoke_tokens_on_role_removal";

    private final RevocationLog log;
    private final AuditLog audit;
    private final TokenPolicy policy;
    private final Clock clock;
    private final SessionRowsFollower sessionRows;
    private final EventOutbox events;

    public Revocations(RevocationLog log, AuditLog audit, TokenPolicy policy, Clock clock,
            SessionRowsFollower sessionRows) {
        this(log, audit, policy, clock, sessionRows, EventOutbox.NONE);
    }

    /** Revocations that also owe their Security Events to the registered receivers ({@link EventOutbox}). */
    public Revocations(RevocationLog log, AuditLog audit, TokenPolicy policy, Clock clock,
            SessionRowsFollower sessionRows, EventOutbox events) {
        this.events = events;
        this.log = log;
        this.audit = audit;
        this.policy = policy;
        this.clock = clock;
        this.sessionRows = sessionRows;
    }

    /**
     * The watermark of a force logout or an emergency revocation, read after the locks it took: the
     * user's row (which every login of the user locks, so each login that committed first began its
     * session before this moment, and each later one sees the new watermark), or for an emergency
     * revocation every session row. A watermark kills every token of a session begun at or before
     * it, whenever the token was issued, so a refresh racing it cannot mint a live token.
     */
    private Instant watermarkAfterUpdates(Instant now) {
        Instant later = clock.instant();
        return (later.isAfter(now) ? later : now).truncatedTo(ChronoUnit.MICROS);
    }

    /** Ends a session: its refresh tokens, its access tokens, and every sidecar's acceptance of its sid. */
    public RevocationResult revokeSession(Transaction tx, CallContext context, String sessionId, String reason,
            String action, Instant now) {
        return revokeSessions(tx, context, List.of(sessionId), reason, action, now);
    }

    /**
     * Ends many sessions at once, audited per session. Sessions already ended are left as they are
     * and get no new log entry or audit event.
     */
    public RevocationResult revokeSessions(Transaction tx, CallContext context, Collection<String> sessionIds,
            String reason, String action, Instant now) {
        EndedSessions ended = endSessions(tx, context, sessionIds, reason, now, true);
        if (!ended.ids().isEmpty()) {
            audit.recordAll(tx, context, now, action, "session", ended.ids(), reason,
                    Map.of("feed_sequence", ended.sequence()));
        }
        return ended.result(now);
    }

    /**
     * Revokes refresh tokens (token id to session id) by ending their sessions, since a token
     * family dies together. Audited per token, naming its session: a token's history is found by
     * its id even after the token is deleted, and a bulk revocation writes one event per token.
     * The result counts the refresh-token rows revoked here: none when, above
     * {@link #TOKEN_ROWS_IN_CALL_MAX} sessions, they follow after the commit.
     */
    public RevocationResult revokeRefreshTokens(Transaction tx, CallContext context, Map<String, String> sessionByToken,
            String reason, Instant now) {
        // The caller counts the tokens it named; counting every live token of thousands of sessions
        // again would be a tenth of a bulk revocation's time.
        EndedSessions ended = endSessions(tx, context, sessionByToken.values(), reason, now, false);
        Set<String> endedIds = new HashSet<>(ended.ids());
        Map<String, Map<String, Object>> details = new LinkedHashMap<>();
        sessionByToken.forEach((token, session) -> {
            if (endedIds.contains(session)) {
                details.put(token, Map.of("session_id", session, "feed_sequence", ended.sequence()));
            }
        });
        if (!details.isEmpty()) {
            audit.recordEach(tx, context, now, "refresh_token.revoke", "refresh_token", details, reason);
        }
        return ended.result(now);
    }

    /** Sessions a revocation ended, the refresh tokens that died with them, and the last feed sequence. */
    private record EndedSessions(List<String> ids, long refreshTokens, long sequence) {
        RevocationResult result(Instant now) {
            return ids.isEmpty() ? RevocationResult.nothing(now)
                    : new RevocationResult(sequence, refreshTokens, ids.size(), now);
        }
    }

    /**
     * One statement per table and one set-based append to the log, whatever the number of
     * sessions, so a bulk revocation of thousands of tokens stays one short transaction.
     *
     * <p>Above {@link #TOKEN_ROWS_IN_CALL_MAX} sessions the tokens' rows are not rewritten here: a
     * token of a revoked session is dead whatever its own row says (a refresh, introspection and
     * every listing read the session), and rewriting them was most of a bulk revocation's time
     * (their status is indexed, so each row adds an entry to every index of the table). The rows
     * follow after the commit ({@link SessionRowsFollower}), from entries written here.
     */
    private EndedSessions endSessions(Transaction tx, CallContext context, Collection<String> sessionIds, String reason,
            Instant now, boolean countDeferredTokens) {
        List<String> ended = tx.store(SessionStore.class).findActive(List.copyOf(new LinkedHashSet<>(sessionIds)));
        if (ended.isEmpty()) {
            return new EndedSessions(ended, 0, 0);
        }
        String by = context.actor().label();
        // Sessions before their tokens, as a refresh locks them (see revokeUser).
        tx.store(SessionStore.class).revoke(ended, now, by, reason);
        long refreshTokens;
        if (ended.size() > TOKEN_ROWS_IN_CALL_MAX) {
            refreshTokens = countDeferredTokens ? tx.store(RefreshTokenStore.class).countLiveOfSessions(ended) : 0;
            tx.store(SessionTokensToRevokeStore.class).put(ended, now, by, reason);
            tx.afterCommit(sessionRows::wake);
        } else {
            refreshTokens = tx.store(RefreshTokenStore.class).revokeAllOfSessions(ended, now, by, reason);
            tx.store(AccessTokenStore.class).revokeAllOfSessions(ended, now);
        }
        long sequence = log.appendAll(tx, now, RevocationKind.SESSION, ended, now, policy.revocationHorizon(now));
        events.sessionsRevoked(tx, ended, sequence - ended.size() + 1, reason, now);
        return new EndedSessions(ended, refreshTokens, sequence);
    }

    /** Revokes one access token by jti; a no-op when it is already revoked or expired. */
    public RevocationResult revokeAccessToken(Transaction tx, CallContext context, AccessTokenRecord token,
            String reason, Instant now) {
        // A token past its exp is still accepted within a validator's clock skew: revoke it until then.
        // One of a revoked session is dead already, its row perhaps still to follow (a revocation of
        // many sessions): revoking it again would log it and stamp the row with this later call.
        if (!token.expiresAt().plus(RevocationRetention.MAX_VALIDATOR_CLOCK_SKEW).isAfter(now)
                || !sessionActive(tx, token.sessionId())
                || tx.store(AccessTokenStore.class).revoke(token.jti(), now) == 0) {
            return RevocationResult.nothing(now);
        }
        long sequence = log.append(tx, now, RevocationKind.TOKEN, token.jti(), now,
                token.expiresAt().plus(policy.clockSkew()), null);
        audit.record(tx, context, now, "access_token.revoke", "access_token", token.jti(), reason,
                Map.of("session_id", token.sessionId(), "feed_sequence", sequence));
        return new RevocationResult(sequence, 0, 0, now);
    }

    private static boolean sessionActive(Transaction tx, String sessionId) {
        return tx.store(SessionStore.class).findById(sessionId).map(s -> s.status() == SessionStatus.ACTIVE)
                .orElse(false);
    }

    /**
     * Force logout: moves the user's token_invalidated_at watermark to now, so every token of a
     * session begun until now is dead everywhere, and a refresh of one is refused. Sessions begun
     * after the watermark (a fresh login) are unaffected. The caller holds the user's row lock.
     *
     * <p>The sessions' and refresh tokens' rows follow after the commit ({@link SessionRowsFollower}),
     * from an entry written here: this transaction writes a handful of rows however many sessions
     * the user has. The counts returned are of the rows that are to follow.
     */
    public RevocationResult revokeUser(Transaction tx, CallContext context, String userId, String reason,
            String action, Instant now) {
        SessionRowsToRevokeStore rows = tx.store(SessionRowsToRevokeStore.class);
        // Not before any session the user has, nor before an earlier watermark: replicas' clocks differ,
        // and a session begun on one running ahead must die too. Under the user's row lock, which every
        // login takes, the sessions read here are all there are until this commits.
        Instant floor = rows.watermarkFloor(userId);
        Instant later = watermarkAfterUpdates(now);
        Instant watermark = floor != null && floor.isAfter(later) ? floor : later;
        SessionRowsToRevokeStore.RevokedRows live = rows.countLive(userId, watermark);
        rows.put(new SessionRowsToRevokeStore.Entry(userId, watermark, context.actor().label(), reason));
        tx.afterCommit(sessionRows::wake);
        tx.store(RevocationLogStore.class).setUserWatermark(userId, watermark);
        long sequence = log.append(tx, now, RevocationKind.USER_WATERMARK, userId, watermark,
                policy.revocationHorizon(watermark), null);
        events.userRevoked(tx, eventTypeOf(action), userId, sequence, reason, watermark);
        audit.record(tx, context, now, action, "user", userId, reason,
                counts(live.refreshTokens(), live.sessions(), sequence));
        return new RevocationResult(sequence, live.refreshTokens(), live.sessions(), now);
    }

    /** Emergency: every token issued until now is dead, every session revoked. */
    public RevocationResult revokeEverything(Transaction tx, CallContext context, String reason, Instant now) {
        String by = context.actor().label();
        // In the order a refresh locks them (see revokeUser).
        int sessions = tx.store(SessionStore.class).revokeAll(now, by, reason);
        int refreshTokens = tx.store(RefreshTokenStore.class).revokeAll(now, by, reason);
        Instant watermark = watermarkAfterUpdates(now);
        tx.store(RevocationLogStore.class).setGlobalWatermark(watermark);
        long sequence = log.append(tx, now, RevocationKind.GLOBAL_WATERMARK, null, watermark,
                policy.revocationHorizon(watermark), null);
        events.userRevoked(tx, EventType.SESSION_REVOKED, null, sequence, reason, watermark);
        audit.record(tx, context, now, "sessions.revoke_all", "authority", "all", reason,
                counts(refreshTokens, sessions, sequence));
        return new RevocationResult(sequence, refreshTokens, sessions, now);
    }

    /**
     * The API has no credential change (no password or key change): the nearest thing is a role
     * removal that revokes the user's tokens, a change of what the user may hold, so it is sent as
     * CAEP credential-change; every other user-wide revocation (force logout, disable, delete) ends
     * the user's sessions and is session-revoked.
     */
    private static EventType eventTypeOf(String action) {
        return USER_REVOKE_ON_ROLE_REMOVAL.equals(action) ? EventType.CREDENTIAL_CHANGE : EventType.SESSION_REVOKED;
    }

    private static Map<String, Object> counts(int refreshTokens, int sessions, long sequence) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("revoked_refresh_tokens", refreshTokens);
        details.put("revoked_sessions", sessions);
        details.put("feed_sequence", sequence);
        return details;
    }
}
