package dev.tokenauthority.authority.storage;

import static java.util.Map.entry;

import dev.tokenauthority.authority.client.ClientStore;
import dev.tokenauthority.authority.issuance.IssuedPairStore;
import dev.tokenauthority.authority.issuance.RotationStore;
import dev.tokenauthority.authority.login.LoginThrottleStore;
import dev.tokenauthority.authority.session.SessionSearch;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.tokens.TokenSearch;
import dev.tokenauthority.authority.user.UserStore;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Which class implements each store interface: the one place a store is built, by its
 * constructor (no reflection). A store asked for and not listed here is a programming error.
 */
final class Stores {

    private static final Map<Class<?>, Function<Handle, ?>> IMPLEMENTATIONS = Map.ofEntries(
            entry(AccessTokenStore.class, JdbiAccessTokenStore::new),
            entry(ClientStore.class, JdbiClientStore::new),
            entry(IssuedPairStore.class, JdbiIssuedPairStore::new),
            entry(LoginThrottleStore.class, JdbiLoginThrottleStore::new),
            entry(RefreshTokenStore.class, JdbiRefreshTokenStore::new),
            entry(RotationStore.class, JdbiRotationStore::new),
            entry(SessionSearch.class, JdbiSessionSearch::new),
            entry(SessionStore.class, JdbiSessionStore::new),
            entry(TokenSearch.class, JdbiTokenSearch::new),
            entry(UserStore.class, JdbiUserStore::new));

    private Stores() {}

    static Object create(Class<?> type, Handle handle) {
        Function<Handle, ?> implementation = IMPLEMENTATIONS.get(type);
        if (implementation == null) {
            throw new IllegalArgumentException("no store implements " + type.getName());
        }
        return implementation.apply(handle);
    }
}
