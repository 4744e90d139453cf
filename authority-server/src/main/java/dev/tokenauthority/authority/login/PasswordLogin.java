package dev.tokenauthority.authority.login;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.crypto.PasswordHashPool;
import dev.tokenauthority.authority.issuance.DeviceInfo;
import dev.tokenauthority.authority.issuance.IssuedTokens;
import dev.tokenauthority.authority.issuance.RequestedAccess;
import dev.tokenauthority.authority.issuance.TokenIssuer;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Password login: client authentication, a throttle reservation, user authentication, then a new
 * session with its first token pair, the grant and the audit event in one transaction. Failures
 * never say whether the user exists; the password hash runs even for unknown users so timing does
 * not tell either. The reservation comes before the hash (see {@link LoginThrottle}), so a
 * throttled guess costs the authority no hash. Before both, the login takes a place among those
 * allowed to hash ({@link PasswordHashPool}): when the authority is already hashing all it can, the
 * login is refused at once, costing neither a hash nor a throttle transaction nor an attempt of the
 * account's.
 */
public final class PasswordLogin {

    private static final String FAILURE = "invalid username or password";
    private static final String REVOKED_DURING_LOGIN = "the account's tokens were revoked during login; log in again";

    private final Transactions transactor;
    private final ClientAuthenticator clients;
    private final PasswordHashPool passwords;
    private final LoginThrottle throttle;
    private final TokenIssuer issuer;
    /** Counts each outcome (the metrics registry, when one is configured). */
    private final Consumer<LoginOutcome> outcomes;
    private final Clock clock;

    public PasswordLogin(Transactions transactor, ClientAuthenticator clients, PasswordHashPool passwords,
            LoginThrottle throttle, TokenIssuer issuer, Consumer<LoginOutcome> outcomes, Clock clock) {
        this.transactor = transactor;
        this.clients = clients;
        this.passwords = passwords;
        this.throttle = throttle;
        this.issuer = issuer;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    public IssuedTokens login(String clientId, String clientSecret, String username, String password,
            List<String> scopes, String audience, DeviceInfo device, CallContext context) {
        Instant started = clock.instant();
        String account = User.normalizeEmail(username);
        // The client and the request are checked first: they cost no hash, and a malformed request
        // should not spend the account's attempts.
        Client client = clients.authenticate(clientId, clientSecret);
        RequestedAccess access = RequestedAccess.resolve(client, scopes, audience);
        CallContext byClient = context.withActor(Actor.client(client.clientId()));
        User user = checkPassword(account, password, byClient);
        CallContext asUser = context.withActor(Actor.user(user.id(), user.email()));
        IssuedTokens issued = transactor.inTransaction(tx -> {
            // The password was checked outside this transaction (hashing is slow). Lock the user
            // and read it again: a DisableUser or RevokeUserTokens that committed since this login
            // started refuses it, and one that comes later finds its session and, as it reads the
            // clock after the same lock, sets its watermark at or after this token's issue time.
            User current = tx.store(UserStore.class).findByIdForUpdate(user.id())
                    .filter(u -> !u.disabled())
                    .filter(u -> u.tokenInvalidatedAt() == null || u.tokenInvalidatedAt().isBefore(started))
                    .orElseThrow(() -> AuthorityException.unauthenticated(REVOKED_DURING_LOGIN));
            return issuer.startSession(tx, current, client, access, device, asUser, "session.login", clock.instant());
        });
        outcomes.accept(LoginOutcome.SUCCESS);
        return issued;
    }

    /** The account whose password this is, with its throttle reservation resolved; or the refusal. */
    private User checkPassword(String account, String password, CallContext byClient) {
        PasswordHashPool.Admission hashing;
        try {
            hashing = passwords.admit();
        } catch (AuthorityException busy) {
            outcomes.accept(LoginOutcome.OVERLOADED);
            throw busy;
        }
        try (hashing) {
            LoginThrottle.Reservation reservation = throttle.reserve(account, byClient).orElseThrow(() -> {
                outcomes.accept(LoginOutcome.THROTTLED);
                return AuthorityException.resourceExhausted("too many failed logins, try again later");
            });
            Optional<User> found = transactor.read(tx -> tx.store(UserStore.class).findByEmail(account));
            boolean passwordOk = hashing.verify(password, found.map(User::passwordHash).orElse(null));
            if (found.isEmpty() || !passwordOk || found.get().disabled()) {
                throttle.failed(reservation, byClient);
                outcomes.accept(found.isPresent() && passwordOk ? LoginOutcome.DISABLED : LoginOutcome.BAD_CREDENTIALS);
                throw AuthorityException.unauthenticated(FAILURE);
            }
            throttle.succeeded(reservation);
            return found.get();
        }
    }
}
