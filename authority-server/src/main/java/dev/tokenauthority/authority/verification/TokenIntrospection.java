package dev.tokenauthority.authority.verification;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.token.AccessTokenClaims;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * RFC 7662 token introspection for access and refresh tokens, for authenticated confidential
 * clients only. A dead, unknown or malformed token answers {@code active=false} and nothing more
 * (section 2.2), whatever the token type hint says.
 *
 * <p>Scoped (section 4: the authority decides which protected resources may learn about which
 * tokens): a client may introspect a token issued to it ({@code client_id}) or one whose audience
 * includes an audience in the client's own {@code audiences} list (the resource servers it stands
 * for). Any other live token answers exactly as an unknown one does, so a client cannot even tell
 * that it exists. The user's email ({@code username}) goes only to the token's own client or a
 * client holding {@code introspect:email}; the subject id is always there.
 */
public final class TokenIntrospection {

    private final Transactions transactor;
    private final ClientAuthenticator clients;
    private final AuthorityTokenVerifier accessTokens;
    private final TokenPolicy policy;
    private final Clock clock;

    public TokenIntrospection(Transactions transactor, ClientAuthenticator clients, AuthorityTokenVerifier accessTokens,
            TokenPolicy policy, Clock clock) {
        this.transactor = transactor;
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.policy = policy;
        this.clock = clock;
    }

    public Introspection introspect(String clientId, String clientSecret, String token) {
        Client caller = clients.authenticate(clientId, clientSecret);
        if (!caller.confidential()) {
            throw AuthorityException.permissionDenied("only confidential clients may introspect tokens");
        }
        if (RefreshTokenFormat.looksLikeRefreshToken(token)) {
            return RefreshTokenFormat.parse(token).map(parts -> introspectRefreshToken(caller, parts))
                    .orElse(Introspection.INACTIVE);
        }
        return accessTokens.verify(token)
                .filter(claims -> mayIntrospect(caller, claims.clientId(), claims.audience()))
                .map(claims -> describe(caller, claims)).orElse(Introspection.INACTIVE);
    }

    private static boolean mayIntrospect(Client caller, String tokenClientId, List<String> tokenAudience) {
        return caller.clientId().equals(tokenClientId) || tokenAudience.stream().anyMatch(caller.audiences()::contains);
    }

    private static boolean maySeeEmail(Client caller, String tokenClientId) {
        return caller.clientId().equals(tokenClientId) || caller.hasPermission(Client.INTROSPECT_EMAIL);
    }

    private Introspection introspectRefreshToken(Client caller, RefreshTokenFormat.Parts parts) {
        return transactor.read(tx -> {
            Instant now = clock.instant();
            Optional<RefreshToken> token = tx.store(RefreshTokenStore.class).findById(parts.id())
                    .filter(t -> Secrets.matches(parts.secret(), t.secretHash()))
                    .filter(t -> t.status() == RefreshTokenStatus.ACTIVE && t.expiresAt().isAfter(now));
            Optional<Session> session = token.flatMap(t -> tx.store(SessionStore.class).findById(t.sessionId()))
                    .filter(s -> s.isLiveAt(now));
            // A disabled user's tokens are dead, and so are those of a session a force logout killed
            // (its watermark is at or after the session's start; the rows follow after the call).
            Optional<User> user = token.flatMap(t -> tx.store(UserStore.class).findById(t.userId()))
                    .filter(u -> !u.disabled())
                    .filter(u -> u.tokenInvalidatedAt() == null
                            || session.isPresent() && session.get().createdAt().isAfter(u.tokenInvalidatedAt()));
            if (token.isEmpty() || session.isEmpty() || user.isEmpty()
                    || !mayIntrospect(caller, token.get().clientId(), session.get().audience())) {
                return Introspection.INACTIVE;
            }
            return describe(caller, token.get(), session.get(), user.get());
        });
    }

    private Introspection describe(Client caller, RefreshToken token, Session session, User user) {
        String email = !maySeeEmail(caller, token.clientId()) ? null : user.email();
        return new Introspection(true, "refresh_token", String.join(" ", session.scopes()), token.clientId(), email,
                token.userId(), session.audience(), policy.issuer(), token.id(), session.id(),
                token.expiresAt().getEpochSecond(), token.issuedAt().getEpochSecond());
    }

    private Introspection describe(Client caller, AccessTokenClaims claims) {
        String email = !maySeeEmail(caller, claims.clientId()) ? null
                : transactor.read(tx -> tx.store(UserStore.class).findById(claims.subject())).map(User::email).orElse(null);
        return new Introspection(true, "access_token", String.join(" ", claims.scopes()), claims.clientId(), email,
                claims.subject(), claims.audience(), claims.issuer(), claims.jti(), claims.sessionId(),
                claims.expiresAt().getEpochSecond(), claims.issuedAt().getEpochSecond());
    }
}
