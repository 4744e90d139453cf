package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP, RFC 9700 section 4.14.2).
 *
 * <p>Every refresh exchanges the presented token for a new pair: the old token becomes ROTATED
 * by a compare-and-set ({@code UPDATE ... WHERE status = 'ACTIVE'}), so of concurrent callers
 * exactly one wins, and that statement records the successor it issued on the rotated row. A
 * ROTATED token presented again is reuse, a sign that the token leaked: the whole session (every
 * refresh token of the family and its access tokens) is revoked and the call fails.
 *
 * <p><b>Reuse grace.</b> A client may allow a retry within a few seconds of the rotation (a lost
 * response, two tabs racing). A retry is idempotent: it gets the same successor again (same
 * refresh token string, same session, a fresh access token), never a second chain, so a stolen
 * token replayed within the grace shares the one chain the owner holds, and the first of the two
 * to present a token the other has already rotated is caught as reuse. Only hashes of secrets
 * are stored; the successor's secret is derived from the parent's with a per-deployment key
 * ({@link SuccessorSecrets}) so it can be computed again, and only by whoever holds the parent.
 * Within the grace the successor's state decides:
 * <ul>
 *   <li>ACTIVE: handed out again;
 *   <li>ROTATED: the chain has moved on and the parent is stale, so this is reuse, as outside the
 *       grace;
 *   <li>SUSPENDED, REVOKED, EXPIRED, or unknown (a parent rotated before V8 recorded
 *       successors): refused, nothing issued and nothing revoked; a suspension stays the
 *       administrator's reversible decision and cannot be bypassed through the parent.
 * </ul>
 * A session that has ended makes any presentation of a rotated token reuse, within the grace or
 * not.
 *
 * <p>The revocation that reuse triggers commits before the call answers UNAUTHENTICATED; the
 * rotation itself, its successor and its access token commit together or not at all.
 */
public final class RefreshTokenRotation {

    private static final String DEAD_TOKEN = "refresh token is invalid, expired or revoked";

    private final Transactions transactor;
    private final ClientAuthenticator clients;
    private final TokenIssuer issuer;
    private final SuccessorSecrets successors;
    private final Revocations revocations;
    private final AuditLog audit;
    /** Counts each outcome, once per call, after its transaction ended (the metrics registry, when configured). */
    private final Consumer<RefreshOutcome> outcomes;
    private final Clock clock;

    public RefreshTokenRotation(Transactions transactor, ClientAuthenticator clients, TokenIssuer issuer,
            SuccessorSecrets successors, Revocations revocations, AuditLog audit, Consumer<RefreshOutcome> outcomes,
            Clock clock) {
        this.transactor = transactor;
        this.clients = clients;
        this.issuer = issuer;
        this.successors = successors;
        this.revocations = revocations;
        this.audit = audit;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** What one attempt came to; reuse is an outcome, not an exception, so its revocation commits. */
    private sealed interface Outcome {
        RefreshOutcome counted();

        /** {@code counted}: ROTATED, or GRACE_RETRY for a successor handed out again. */
        record Rotated(IssuedTokens tokens, RefreshOutcome counted) implements Outcome {}
        record Refused(RefreshOutcome counted) implements Outcome {}
        record ReuseDetected() implements Outcome {
            @Override
            public RefreshOutcome counted() {
                return RefreshOutcome.REUSE_DETECTED;
            }
        }
    }

    public IssuedTokens rotate(String clientId, String clientSecret, String refreshToken, CallContext context) {
        RefreshTokenFormat.Parts parts = RefreshTokenFormat.parse(refreshToken)
                .orElseThrow(() -> AuthorityException.invalidArgument("refresh_token", "not a refresh token of this authority"));
        Outcome outcome = transactor.inTransaction(tx -> {
            RotationStore.Lookup lookup = tx.store(RotationStore.class).find(clientId, parts.id());
            Client client = clients.authenticate(lookup.client(), clientSecret);
            return attempt(tx, client, lookup.presented(), parts, context.withActor(Actor.client(client.clientId())));
        });
        outcomes.accept(outcome.counted());
        if (outcome instanceof Outcome.Rotated rotated) {
            return rotated.tokens();
        }
        throw AuthorityException.unauthenticated(DEAD_TOKEN);
    }

    private Outcome attempt(Transaction tx, Client client, Optional<RotationStore.Presented> presented,
            RefreshTokenFormat.Parts parts, CallContext context) {
        Instant now = clock.instant();
        Optional<RotationStore.Presented> found = presented
                .filter(p -> Secrets.matches(parts.secret(), p.token().secretHash()));
        if (found.isEmpty() || !found.get().token().clientId().equals(client.clientId())) {
            // Unknown, wrong secret, or another client's token: refused without rotating anything.
            return new Outcome.Refused(RefreshOutcome.UNKNOWN);
        }
        if (!found.get().userActive() || found.get().forceLoggedOut()) {
            // A disabled (or deleted) user's tokens are dead whatever their status, and so are those
            // of a session a force logout killed, whose rows may not have followed yet. A refresh
            // that read the user before a force logout committed may still rotate: the tokens it
            // issues belong to a session begun before the watermark and are dead everywhere.
            return new Outcome.Refused(RefreshOutcome.REVOKED);
        }
        RefreshToken token = found.get().token();
        Session session = found.get().session();
        List<String> roles = found.get().userRoles();
        if (session.status() == SessionStatus.REVOKED && token.status().isLive()) {
            // Its session was revoked and its row is still to follow: dead, not expired.
            return new Outcome.Refused(RefreshOutcome.REVOKED);
        }
        return switch (token.status()) {
            case ACTIVE -> rotateActive(tx, client, token, parts, session, roles, context, now);
            case ROTATED -> {
                if (session.status() == SessionStatus.ACTIVE && !lockSession(tx, session, now)) {
                    // Revoked since it was read, its successor's row perhaps still to follow: no retry.
                    yield new Outcome.Refused(RefreshOutcome.REVOKED);
                }
                yield retryOrReuse(tx, client, token, parts, session, roles, context, now);
            }
            case REVOKED, EXPIRED, SUSPENDED -> refused(token.status());
        };
    }

    /**
     * Locks the session's row, marking it seen, before any of its tokens: the order every
     * revocation locks them in, so a revocation racing this refresh waits for it (or it for the
     * revocation) instead of deadlocking. Whatever this transaction then reads of the session's
     * tokens is what a revocation that committed meanwhile left: a revoked token is not rotated.
     * False when the session is revoked: its tokens are dead, whatever their rows (which a
     * revocation of many sessions lets follow after it) say.
     */
    private boolean lockSession(Transaction tx, Session session, Instant now) {
        return tx.store(SessionStore.class).touch(session.id(), now.truncatedTo(ChronoUnit.MICROS));
    }

    private Outcome rotateActive(Transaction tx, Client client, RefreshToken token, RefreshTokenFormat.Parts parts,
            Session session, List<String> roles, CallContext context, Instant now) {
        RefreshTokenStore tokens = tx.store(RefreshTokenStore.class);
        if (!token.expiresAt().isAfter(now) || !session.isLiveAt(now)) {
            tokens.markExpired(token.id());
            return new Outcome.Refused(RefreshOutcome.EXPIRED);
        }
        if (!lockSession(tx, session, now)) {
            return new Outcome.Refused(RefreshOutcome.REVOKED);
        }
        Optional<Session> allowed = narrowed(tx, session, client, roles, context, now);
        if (allowed.isEmpty()) {
            // the token stays as it is: a wider registration revives it
            return new Outcome.Refused(RefreshOutcome.NO_ACCESS_LEFT);
        }
        RefreshTokenFormat.Parts successor = successors.newSuccessor(parts);
        if (tokens.markRotated(token.id(), successor.id(), now) == 0) {
            // A concurrent refresh of the same token won; re-read what it left behind.
            RefreshToken after = tokens.findById(token.id()).orElseThrow();
            return after.status() == RefreshTokenStatus.ROTATED
                    ? retryOrReuse(tx, client, after, parts, allowed.get(), roles, context, now)
                    : refused(after.status());
        }
        return new Outcome.Rotated(issuer.continueSession(tx, allowed.get(), client, token.id(), successor, now),
                RefreshOutcome.ROTATED);
    }

    /** The refusal of a token that is dead by its own status (REVOKED, EXPIRED or SUSPENDED). */
    private static Outcome refused(RefreshTokenStatus status) {
        return new Outcome.Refused(switch (status) {
            case EXPIRED -> RefreshOutcome.EXPIRED;
            case SUSPENDED -> RefreshOutcome.SUSPENDED;
            default -> RefreshOutcome.REVOKED;
        });
    }

    private Outcome retryOrReuse(Transaction tx, Client client, RefreshToken parent, RefreshTokenFormat.Parts parts,
            Session session, List<String> roles, CallContext context, Instant now) {
        boolean withinGrace = !client.reuseGrace().isZero()
                && parent.rotatedAt() != null
                && !now.isAfter(parent.rotatedAt().plus(client.reuseGrace()));
        if (!withinGrace || !session.isLiveAt(now)) {
            return reuseDetected(tx, parent, session, context, now, "rotated refresh token presented again");
        }
        RefreshToken successor = Optional.ofNullable(parent.successorId())
                .flatMap(tx.store(RefreshTokenStore.class)::findByIdForUpdate).orElse(null);
        if (successor != null && successor.status() == RefreshTokenStatus.ROTATED) {
            return reuseDetected(tx, parent, session, context, now,
                    "rotated refresh token presented again after its successor was rotated");
        }
        String refusal;
        if (successor == null) {
            refusal = "UNKNOWN";
        } else if (successor.status() != RefreshTokenStatus.ACTIVE) {
            refusal = successor.status().name();
        } else if (!successor.expiresAt().isAfter(now)) {
            refusal = RefreshTokenStatus.EXPIRED.name();
        } else {
            RefreshTokenFormat.Parts again = successors.successor(successor.id(), parts);
            Optional<Session> allowed = narrowed(tx, session, client, roles, context, now);
            if (allowed.isEmpty()) {
                return new Outcome.Refused(RefreshOutcome.NO_ACCESS_LEFT);
            }
            // Always true unless the deployment's successor key was replaced since the rotation.
            if (Secrets.matches(again.secret(), successor.secretHash())) {
                audit.record(tx, context, now, "refresh_token.reuse_within_grace", "refresh_token", parent.id(),
                        null, Map.of("session_id", session.id(), "successor_id", successor.id()));
                return new Outcome.Rotated(issuer.reissue(tx, allowed.get(), client, successor, again, now),
                        RefreshOutcome.GRACE_RETRY);
            }
            refusal = "UNVERIFIABLE";
        }
        audit.record(tx, context, now, "refresh_token.reuse_within_grace_refused", "refresh_token", parent.id(),
                "successor cannot be handed out again", Map.of("session_id", session.id(), "successor_status", refusal));
        return new Outcome.Refused(RefreshOutcome.GRACE_REFUSED);
    }

    /**
     * The session as its next tokens may carry it: a client whose scopes or audiences were
     * narrowed, or a user who lost a role, since the login narrows it now rather than when the
     * session ends. The narrowing is stored and audited with the rotation; empty when nothing
     * usable is left, and the refresh is refused.
     */
    private Optional<Session> narrowed(Transaction tx, Session session, Client client, List<String> roles,
            CallContext context, Instant now) {
        Optional<RequestedAccess> allowed = RequestedAccess.stillAllowed(session, client, roles);
        if (allowed.isEmpty()) {
            return Optional.empty();
        }
        RequestedAccess access = allowed.get();
        if (access.audience().equals(session.audience()) && access.scopes().equals(session.scopes())) {
            return Optional.of(session);
        }
        tx.store(SessionStore.class).updateAccess(session.id(), access.audience(), access.scopes());
        audit.record(tx, context, now, "session.narrow", "session", session.id(),
                "the client's registration or the user's roles no longer allow all of it", Map.of(
                        "audience_before", String.join(" ", session.audience()),
                        "audience_after", String.join(" ", access.audience()),
                        "scopes_before", String.join(" ", session.scopes()),
                        "scopes_after", String.join(" ", access.scopes())));
        return Optional.of(session.withAccess(access.audience(), access.scopes()));
    }

    private Outcome reuseDetected(Transaction tx, RefreshToken presented, Session session, CallContext context,
            Instant now, String reason) {
        audit.record(tx, context, now, "refresh_token.reuse_detected", "refresh_token", presented.id(),
                reason, Map.of("session_id", session.id()));
        revocations.revokeSession(tx, context, session.id(), "refresh token reuse detected",
                "session.revoke_reuse", now);
        return new Outcome.ReuseDetected();
    }
}
