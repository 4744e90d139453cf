package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an administrator does to refresh tokens: soft revoke and resume, delete, edit
 * expiry, note and tags (bulk revocation is {@link BulkRevocation}). Each change, its audit event (with before and
 * after) and any revocation-log entry commit together.
 */
public final class TokenAdministration {

    /** Tags per token, and characters per note. */
    public static final int MAX_TAGS = 32;
    public static final int MAX_NOTE_LENGTH = 4096;

    private final Transactions transactor;
    private final RevocationLog log;
    private final AuditLog audit;
    private final TokenPolicy policy;
    private final Clock clock;

    public TokenAdministration(Transactions transactor, RevocationLog log, AuditLog audit,
            TokenPolicy policy, Clock clock) {
        this.transactor = transactor;
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
}
