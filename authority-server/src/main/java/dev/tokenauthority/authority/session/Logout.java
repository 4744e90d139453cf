package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import java.time.Clock;

/**
 * Logout with a refresh token of the session: possessing any token of the family, current or
 * already rotated, proves the right to end it. Ending an already ended session is OK.
 */
public final class Logout {

    private final Transactions transactor;
    private final Revocations revocations;
    private final Clock clock;

    public Logout(Transactions transactor, Revocations revocations, Clock clock) {
        this.transactor = transactor;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** Ends the session and returns its id. */
    public String logout(String refreshToken, CallContext context) {
        RefreshTokenFormat.Parts parts = RefreshTokenFormat.parse(refreshToken)
                .orElseThrow(() -> AuthorityException.invalidArgument("refresh_token", "not a refresh token of this authority"));
        return transactor.inTransaction(tx -> {
            RefreshToken token = tx.store(RefreshTokenStore.class).findById(parts.id())
                    .filter(t -> Secrets.matches(parts.secret(), t.secretHash()))
                    .orElseThrow(() -> AuthorityException.unauthenticated("refresh token is invalid"));
            revocations.revokeSession(tx, context.withActor(Actor.user(token.userId(), null)), token.sessionId(),
                    "logout", "session.logout", clock.instant());
            return token.sessionId();
        });
    }
}
