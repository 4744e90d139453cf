package dev.tokenauthority.authority.admin;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.user.UserStore;
import java.time.Clock;
import java.util.Map;

/**
 * The revocations an administrator performs: one token, one session, all of
 * a user's tokens (force logout), everything (emergency). Unknown ids are NOT_FOUND; revoking
 * what is already revoked is OK and changes nothing.
 */
public final class AdminRevocations {

    /** The exact phrase RevokeAllSessions requires, so nobody ends every session by accident. */
    public static final String REVOKE_ALL_CONFIRMATION = "REVOKE ALL SESSIONS";

    private final Transactions transactor;
    private final Revocations revocations;
    private final Clock clock;

    public AdminRevocations(Transactions transactor, Revocations revocations, Clock clock) {
        this.transactor = transactor;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** A refresh-token id ({@code rt_...}) ends its session; an access-token jti revokes that token. */
    public RevocationResult revokeToken(String tokenId, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            if (tokenId.startsWith(RefreshTokenFormat.ID_PREFIX)) {
                RefreshToken token = tx.store(RefreshTokenStore.class).findById(tokenId)
                        .orElseThrow(() -> AuthorityException.notFound("token", tokenId));
                return revocations.revokeRefreshTokens(tx, context, Map.of(tokenId, token.sessionId()), reason,
                        clock.instant());
            }
            var record = tx.store(AccessTokenStore.class).findByJti(tokenId)
                    .orElseThrow(() -> AuthorityException.notFound("token", tokenId));
            return revocations.revokeAccessToken(tx, context, record, reason, clock.instant());
        });
    }

    public RevocationResult revokeSession(String sessionId, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            tx.store(SessionStore.class).findById(sessionId)
                    .orElseThrow(() -> AuthorityException.notFound("session", sessionId));
            return revocations.revokeSession(tx, context, sessionId, reason, "session.revoke", clock.instant());
        });
    }

    public RevocationResult revokeUserTokens(String userId, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            // Locked as a login locks it, and the watermark read after: every login that committed
            // before us issued at or before it, and every later one sees the new watermark.
            tx.store(UserStore.class).findByIdForUpdate(userId)
                    .orElseThrow(() -> AuthorityException.notFound("user", userId));
            return revocations.revokeUser(tx, context, userId, reason, "user.revoke_tokens", clock.instant());
        });
    }

    public RevocationResult revokeAllSessions(String reason, String confirm, CallContext context) {
        if (!REVOKE_ALL_CONFIRMATION.equals(confirm)) {
            throw AuthorityException.failedPrecondition("confirm must be exactly '" + REVOKE_ALL_CONFIRMATION + "'");
        }
        return transactor.inTransaction(tx -> revocations.revokeEverything(tx, context, reason, clock.instant()));
    }
}
