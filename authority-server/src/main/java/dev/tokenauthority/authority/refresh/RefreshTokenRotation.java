package dev.tokenauthority.authority.refresh;

import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.error.AuthorityException;
import dev.tokenauthority.authority.issuance.IssuedTokens;
import dev.tokenauthority.authority.issuance.RefreshTokenFormat;
import dev.tokenauthority.authority.issuance.TokenIssuer;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.session.Session;
import dev.tokenauthority.authority.storage.RefreshTokenDao;
import dev.tokenauthority.authority.storage.RotationDao;
import dev.tokenauthority.authority.storage.Transactor;
import dev.tokenauthority.authority.storage.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Refresh-token rotation with reuse detection (seed 001, seed 002; OAuth 2.0 Security BCP,
 * RFC 9700 section 4.14.2).
 *
 * <p>Every refresh exchanges the presented token for a new pair: the old token becomes ROTATED
 * by a compare-and-set ({@code UPDATE ... WHERE status = 'ACTIVE'}), so of concurrent callers
 * exactly one wins. A ROTATED token presented again is reuse, a sign that the token leaked: the
 * whole session (every refresh token of the family and its access tokens) is revoked and the
 * call fails. The one exception is the client's reuse grace: a retry within that many seconds of
 * the rotation (a lost response, two tabs racing) gets a fresh pair instead.
 *
 * <p>The revocation that reuse triggers commits before the call answers UNAUTHENTICATED; the
 * rotation itself, its successor and its access token commit together or not at all.
 */
public final class RefreshTokenRotation {

    private static final String DEAD_TOKEN = "refresh token is invalid, expired or revoked";

    private final Transactor transactor;
    private final ClientAuthenticator clients;
    private final TokenIssuer issuer;
    private final Revocations revocations;
    private final AuditLog audit;
    private final Clock clock;

    public RefreshTokenRotation(Transactor transactor, ClientAuthenticator clients, TokenIssuer issuer,
            Revocations revocations, AuditLog audit, Clock clock) {
        this.transactor = transactor;
        this.clients = clients;
        this.issuer = issuer;
        this.revocations = revocations;
        this.audit = audit;
        this.clock = clock;
    }

    /** What one attempt came to; reuse is an outcome, not an exception, so its revocation commits. */
    private sealed interface Outcome {
        record Rotated(IssuedTokens tokens) implements Outcome {}
        record Refused() implements Outcome {}
        record ReuseDetected() implements Outcome {}
    }

    public IssuedTokens rotate(String clientId, String clientSecret, String refreshToken, CallContext context) {
        RefreshTokenFormat.Parts parts = RefreshTokenFormat.parse(refreshToken)
                .orElseThrow(() -> AuthorityException.invalidArgument("refresh_token", "not a refresh token of this authority"));
        Outcome outcome = transactor.inTransaction(h -> {
            RotationDao.Lookup lookup = h.attach(RotationDao.class).find(clientId, parts.id());
            Client client = clients.authenticate(lookup.client(), clientSecret);
            return attempt(h, client, lookup.presented(), parts, context.withActor(Actor.client(client.clientId())));
        });
        if (outcome instanceof Outcome.Rotated rotated) {
            return rotated.tokens();
        }
        throw AuthorityException.unauthenticated(DEAD_TOKEN);
    }

    private Outcome attempt(Tx handle, Client client, Optional<RotationDao.Presented> presented,
            RefreshTokenFormat.Parts parts, CallContext context) {
        Instant now = clock.instant();
        Optional<RotationDao.Presented> found = presented
                .filter(p -> Secrets.matches(parts.secret(), p.token().secretHash()));
        if (found.isEmpty() || !found.get().token().clientId().equals(client.clientId())) {
            // Unknown, wrong secret, or another client's token: refused without rotating anything.
            return new Outcome.Refused();
        }
        if (!found.get().userActive()) {
            return new Outcome.Refused(); // a disabled (or deleted) user's tokens are dead whatever their status
        }
        RefreshToken token = found.get().token();
        Session session = found.get().session();
        return switch (token.status()) {
            case ACTIVE -> rotateActive(handle, client, token, session, context, now);
            case ROTATED -> retryOrReuse(handle, client, token, session, context, now);
            case REVOKED, EXPIRED, SUSPENDED -> new Outcome.Refused();
        };
    }

    private Outcome rotateActive(Tx handle, Client client, RefreshToken token, Session session,
            CallContext context, Instant now) {
        if (!token.expiresAt().isAfter(now) || !session.isLiveAt(now)) {
            handle.attach(RefreshTokenDao.class).markExpired(token.id());
            return new Outcome.Refused();
        }
        if (handle.attach(RefreshTokenDao.class).markRotated(token.id(), now) == 0) {
            // A concurrent refresh of the same token won; re-read what it left behind.
            RefreshToken after = handle.attach(RefreshTokenDao.class).findById(token.id()).orElseThrow();
            return after.status() == RefreshTokenStatus.ROTATED
                    ? retryOrReuse(handle, client, after, session, context, now)
                    : new Outcome.Refused();
        }
        return new Outcome.Rotated(issuer.continueSession(handle, session, client, token.id(), now));
    }

    private Outcome retryOrReuse(Tx handle, Client client, RefreshToken token, Session session,
            CallContext context, Instant now) {
        boolean withinGrace = !client.reuseGrace().isZero()
                && token.rotatedAt() != null
                && !now.isAfter(token.rotatedAt().plus(client.reuseGrace()));
        if (withinGrace && session.isLiveAt(now)) {
            audit.record(handle, context, now, "refresh_token.reuse_within_grace", "refresh_token", token.id(),
                    null, Map.of("session_id", session.id()));
            return new Outcome.Rotated(issuer.continueSession(handle, session, client, token.id(), now));
        }
        audit.record(handle, context, now, "refresh_token.reuse_detected", "refresh_token", token.id(),
                "rotated refresh token presented again", Map.of("session_id", session.id()));
        revocations.revokeSession(handle, context, session.id(), "refresh token reuse detected",
                "session.revoke_reuse", now);
        return new Outcome.ReuseDetected();
    }
}
