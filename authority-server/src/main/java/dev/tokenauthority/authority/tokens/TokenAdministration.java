package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLog;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.token.TokenPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an administrator does to refresh tokens: soft revoke and resume, delete, edit
 * expiry, note and tags, and bulk revocation. Each change, its audit event (with before and
 * after) and any revocation-log entry commit together.
 */
public final class TokenAdministration {

    /** The most tokens one BatchRevokeTokens may name or match; larger sweeps are split by the caller. */
    public static final int MAX_BATCH = 100_000;
    /** Tags per token, and characters per note. */
    public static final int MAX_TAGS = 32;
    public static final int MAX_NOTE_LENGTH = 4096;

    private final Transactions transactor;
    private final Revocations revocations;
    private final RevocationLog log;
    private final AuditLog audit;
    private final TokenPolicy policy;
    private final Clock clock;

    public TokenAdministration(Transactions transactor, Revocations revocations, RevocationLog log, AuditLog audit,
            TokenPolicy policy, Clock clock) {
        this.transactor = transactor;
        this.revocations = revocations;
        this.log = log;
        this.audit = audit;
        this.policy = policy;
        this.clock = clock;
    }

    /** Soft revoke: the token cannot be exchanged and sidecars deny its session's access tokens. */
    public TokenListItem suspend(String tokenId, String reason, CallContext context) {
        return changeStatus(tokenId, RefreshTokenStatus.ACTIVE, RefreshTokenStatus.SUSPENDED,
                RevocationKind.SESSION_SUSPENDED, "refresh_token.suspend", reason, context);
    }

    public TokenListItem resume(String tokenId, String reason, CallContext context) {
        return changeStatus(tokenId, RefreshTokenStatus.SUSPENDED, RefreshTokenStatus.ACTIVE,
                RevocationKind.SESSION_RESUMED, "refresh_token.resume", reason, context);
    }

    private TokenListItem changeStatus(String tokenId, RefreshTokenStatus from, RefreshTokenStatus to,
            RevocationKind kind, String action, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            TokenListItem item = TokenListing.find(tx, tokenId);
            if (item.statusAt(now) != from) {
                throw AuthorityException.failedPrecondition("token is " + item.statusAt(now) + "; only a "
                        + from + " token can be changed to " + to);
            }
            String sessionId = item.token().sessionId();
            // The session before its token, as a refresh orders them: concurrent suspends, resumes
            // and refreshes of one session then decide one after the other and see each other's outcome.
            if (!tx.store(SessionStore.class).lock(sessionId)) {
                // Revoked since it was read: a revocation of many sessions lets the token's row follow later.
                throw AuthorityException.failedPrecondition("token is " + RefreshTokenStatus.REVOKED + "; only a "
                        + from + " token can be changed to " + to);
            }
            int changed = tx.store(RefreshTokenStore.class).changeStatus(tokenId, from, to);
            if (changed == 0) {
                // A refresh (or another administrator) changed it since it was read: telling sidecars
                // the session is suspended while the authority sees no suspended token would split them.
                throw AuthorityException.failedPrecondition("token changed while this call ran; only a "
                        + from + " token can be changed to " + to + ", read it again");
            }
            // The session stays suspended while any of its tokens is (the authority's rule): a
            // resume that leaves another suspended token must not tell sidecars otherwise.
            boolean stillSuspended = to == RefreshTokenStatus.ACTIVE && tx.store(SessionStore.class).isSuspended(sessionId);
            long sequence = stillSuspended ? 0
                    : log.append(tx, now, kind, sessionId, now, suspensionHorizon(tx, sessionId, now), null);
            audit.record(tx, context, now, action, "refresh_token", tokenId, reason,
                    Map.of("before", from.name(), "after", to.name(), "feed_sequence", sequence));
            return TokenListing.find(tx, tokenId);
        });
    }

    /**
     * Until when a suspension (or resume) entry must stay in the feed. Unlike a revocation, a
     * suspension lasts as long as the administrator wants, and the session can still obtain
     * access tokens meanwhile (a sibling refresh token left by a retry within the reuse grace is
     * not suspended with the one named), so {@code now + max TTL} would let sidecars forget the
     * suspension, and accept such a token, while the session is still suspended. Every access
     * token of the session expires by the session's end, so the entry lives until then (plus the
     * skew validators allow), and never less than a revocation's horizon. A resume gets the same
     * rule, so it never leaves the log before the suspension it undoes.
     */
    private Instant suspensionHorizon(Transaction tx, String sessionId, Instant now) {
        Instant horizon = policy.revocationHorizon(now);
        Instant sessionEnd = tx.store(SessionStore.class).findById(sessionId)
                .map(session -> session.expiresAt().plus(policy.clockSkew()))
                .orElse(horizon);
        return sessionEnd.isAfter(horizon) ? sessionEnd : horizon;
    }

    /** Deletes a revoked or expired token; its audit events stay. */
    public void delete(String tokenId, String reason, CallContext context) {
        transactor.useTransaction(tx -> {
            Instant now = clock.instant();
            TokenListItem item = TokenListing.find(tx, tokenId);
            RefreshTokenStatus status = item.statusAt(now);
            if (status != RefreshTokenStatus.REVOKED && status != RefreshTokenStatus.EXPIRED) {
                throw AuthorityException.failedPrecondition("token is " + status
                        + "; revoke it first (only revoked or expired tokens can be deleted)");
            }
            tx.store(RefreshTokenStore.class).delete(tokenId);
            audit.record(tx, context, now, "refresh_token.delete", "refresh_token", tokenId, reason,
                    Map.of("status", status.name(), "user_id", item.token().userId(), "session_id", item.token().sessionId()));
        });
    }

    /** The fields UpdateToken may change; null means "leave as it is". */
    public record TokenChanges(Instant expiresAt, String note, List<String> tags) {
    }

    public TokenListItem update(String tokenId, TokenChanges changes, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            RefreshToken token = TokenListing.find(tx, tokenId).token();
            RefreshTokenStore tokens = tx.store(RefreshTokenStore.class);
            Map<String, Object> details = new LinkedHashMap<>();
            if (changes.expiresAt() != null) {
                Session session = tx.store(SessionStore.class).findById(token.sessionId()).orElseThrow();
                if (!changes.expiresAt().isAfter(now) || changes.expiresAt().isAfter(session.expiresAt())) {
                    throw AuthorityException.invalidArgument("token.expires_at",
                            "must be in the future and no later than the session's end " + session.expiresAt());
                }
                details.put("expires_at_before", token.expiresAt().toString());
                details.put("expires_at_after", changes.expiresAt().toString());
                tokens.updateExpiresAt(tokenId, changes.expiresAt());
            }
            if (changes.note() != null) {
                details.put("note_before", token.note());
                details.put("note_after", changes.note());
                tokens.updateNote(tokenId, changes.note().isEmpty() ? null : changes.note());
            }
            if (changes.tags() != null) {
                details.put("tags_before", SpaceSeparated.join(token.tags()));
                details.put("tags_after", SpaceSeparated.join(changes.tags()));
                tokens.updateTags(tokenId, changes.tags());
            }
            audit.record(tx, context, now, "refresh_token.update", "refresh_token", tokenId, reason, details);
            return TokenListing.find(tx, tokenId);
        });
    }

    /** What happened to each token of a bulk revocation. */
    public enum Outcome { REVOKED, ALREADY_REVOKED, NOT_FOUND }

    public record BatchResult(Map<String, Outcome> outcomes, long revokedCount, long feedSequence) {
    }

    /** Revokes the named tokens (ending their sessions), in one transaction: all or nothing. */
    public BatchResult revokeByIds(List<String> tokenIds, String reason, CallContext context) {
        if (tokenIds.size() > MAX_BATCH) {
            throw AuthorityException.invalidArgument("token_ids", "at most " + MAX_BATCH + " per call");
        }
        return transactor.inTransaction(tx -> {
            List<String> ids = List.copyOf(new LinkedHashSet<>(tokenIds));
            Map<String, Candidate> stored = new HashMap<>();
            for (RefreshTokenStore.StoredStatus token : tx.store(RefreshTokenStore.class).findStatuses(ids)) {
                stored.put(token.id(), new Candidate(token.sessionId(), token.status()));
            }
            // Outcomes in the order the caller named the ids.
            Map<String, Candidate> found = new LinkedHashMap<>();
            ids.stream().filter(stored::containsKey).forEach(id -> found.put(id, stored.get(id)));
            return revoke(tx, found, ids.stream().filter(id -> !stored.containsKey(id)).toList(), reason, context);
        });
    }

    /** Revokes every live token matching the query, in one transaction. */
    public BatchResult revokeMatching(TokenQuery query, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            Map<String, Candidate> found = new LinkedHashMap<>();
            tx.store(TokenSearch.class).forEach(query, clock.instant(), item -> {
                if (found.size() >= MAX_BATCH) {
                    throw AuthorityException.invalidArgument("filter", "matches more than " + MAX_BATCH
                            + " tokens; narrow it");
                }
                found.put(item.token().id(), new Candidate(item.token().sessionId(), item.token().status()));
            });
            return revoke(tx, found, List.of(), reason, context);
        });
    }

    /** A token a bulk revocation named or matched: its session and its stored status. */
    private record Candidate(String sessionId, RefreshTokenStatus status) {
    }

    private BatchResult revoke(Transaction tx, Map<String, Candidate> found, List<String> notFound, String reason,
            CallContext context) {
        Instant now = clock.instant();
        Set<String> activeSessions = sessionsStillActive(tx, found.values());
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Map<String, String> revoked = new LinkedHashMap<>();
        found.forEach((id, token) -> {
            boolean live = switch (token.status()) {
                // A live row of a revoked session is one whose revocation lets it follow later.
                // A ROTATED token is dead itself, but naming it ends its family (a leaked token's
                // session), unless that has ended.
                case ACTIVE, SUSPENDED, ROTATED -> activeSessions.contains(token.sessionId());
                case REVOKED, EXPIRED -> false;
            };
            outcomes.put(id, live ? Outcome.REVOKED : Outcome.ALREADY_REVOKED);
            if (live) {
                revoked.put(id, token.sessionId());
            }
        });
        notFound.forEach(id -> outcomes.put(id, Outcome.NOT_FOUND));
        RevocationResult result = revocations.revokeRefreshTokens(tx, context, revoked, reason, now);
        return new BatchResult(outcomes, revoked.size(), result.feedSequence());
    }

    /**
     * The sessions, of those the live and ROTATED candidates belong to, that are still ACTIVE. A
     * revocation leaves ROTATED tokens ROTATED, and one of many sessions leaves its live tokens'
     * rows to follow, so the session says whether such a token is revoked.
     */
    private static Set<String> sessionsStillActive(Transaction tx, Collection<Candidate> candidates) {
        List<String> sessions = candidates.stream()
                .filter(c -> c.status().isLive() || c.status() == RefreshTokenStatus.ROTATED)
                .map(Candidate::sessionId).distinct().toList();
        return sessions.isEmpty() ? Set.of() : new HashSet<>(tx.store(SessionStore.class).findActive(sessions));
    }
}
