package dev.tokenauthority.authority.verification;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.grant.GrantStore;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import dev.tokenauthority.authority.token.AccessTokenClaims;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7009 token revocation by the client a token was issued to. Unknown, malformed and already
 * revoked tokens answer OK (section 2.2); the type hint only says where to look first, and the
 * search extends to every token type (section 2.1). Revoking a refresh token ends its session and,
 * when the "refresh token revocation deletes grant" setting is on, the user's grant to the client
 * together with the grant's other sessions.
 */
public final class ClientTokenRevocation {

    private static final String REASON = "revoked by client (RFC 7009)";

    private final Transactions transactor;
    private final ClientAuthenticator clients;
    private final AuthorityTokenVerifier accessTokens;
    private final Revocations revocations;
    private final Clock clock;

    public ClientTokenRevocation(Transactions transactor, ClientAuthenticator clients, AuthorityTokenVerifier accessTokens,
            Revocations revocations, Clock clock) {
        this.transactor = transactor;
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.revocations = revocations;
        this.clock = clock;
    }

    public void revoke(String clientId, String clientSecret, String token, CallContext context) {
        Client client = clients.authenticate(clientId, clientSecret);
        CallContext asClient = context.withActor(Actor.client(client.clientId()));
        Optional<RefreshTokenFormat.Parts> refresh = RefreshTokenFormat.parse(token);
        if (refresh.isPresent()) {
            transactor.useTransaction(tx -> revokeRefreshToken(tx, client, refresh.get(), asClient));
            return;
        }
        accessTokens.decodeSignedToken(token)
                .ifPresent(claims -> transactor.useTransaction(tx -> revokeAccessToken(tx, client, claims, asClient)));
    }

    private void revokeRefreshToken(Transaction tx, Client client, RefreshTokenFormat.Parts parts, CallContext context) {
        Optional<RefreshToken> found = tx.store(RefreshTokenStore.class).findById(parts.id())
                .filter(t -> Secrets.matches(parts.secret(), t.secretHash()));
        if (found.isEmpty()) {
            return;
        }
        RefreshToken token = found.get();
        requireOwner(client, token.clientId());
        Instant now = clock.instant();
        revocations.revokeRefreshTokens(tx, context, Map.of(token.id(), token.sessionId()), REASON, now);
        if (AuthoritySettings.load(tx).refreshRevocationDeletesGrant()) {
            for (String sessionId : tx.store(SessionStore.class).findActiveIds(token.userId(), token.clientId())) {
                revocations.revokeSession(tx, context, sessionId, "grant deleted by token revocation",
                        "session.revoke_grant", now);
            }
            tx.store(GrantStore.class).delete(token.userId(), token.clientId());
        }
    }

    private void revokeAccessToken(Transaction tx, Client client, AccessTokenClaims claims, CallContext context) {
        requireOwner(client, claims.clientId());
        tx.store(AccessTokenStore.class).findByJti(claims.jti())
                .ifPresent(record -> revocations.revokeAccessToken(tx, context, record, REASON, clock.instant()));
    }

    /** A client may revoke only tokens issued to it (RFC 7009 section 2.1). */
    private static void requireOwner(Client client, String owner) {
        if (!client.clientId().equals(owner)) {
            throw AuthorityException.permissionDenied("the token was not issued to this client");
        }
    }
}
