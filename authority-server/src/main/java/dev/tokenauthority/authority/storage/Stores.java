package dev.tokenauthority.authority.storage;

import static java.util.Map.entry;

import dev.tokenauthority.authority.activity.ActivityStore;
import dev.tokenauthority.authority.fleet.SidecarStore;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.client.ClientStore;
import dev.tokenauthority.authority.events.EventOutboxStore;
import dev.tokenauthority.authority.events.EventReceiverStore;
import dev.tokenauthority.authority.feed.FeedBeatStore;
import dev.tokenauthority.authority.grant.GrantStore;
import dev.tokenauthority.authority.issuance.IssuedPairStore;
import dev.tokenauthority.authority.issuance.RotationStore;
import dev.tokenauthority.authority.keys.SigningKeyStore;
import dev.tokenauthority.authority.keys.SuccessorKeyStore;
import dev.tokenauthority.authority.login.LoginThrottleStore;
import dev.tokenauthority.authority.retention.RetentionStore;
import dev.tokenauthority.authority.revocation.SessionRowsToRevokeStore;
import dev.tokenauthority.authority.revocation.SessionTokensToRevokeStore;
import dev.tokenauthority.authority.session.SessionSearch;
import dev.tokenauthority.authority.settings.SettingsStore;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.RevocationLogStore;
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

    private static final Map<Class<?>, StoreConstructor> IMPLEMENTATIONS = Map.ofEntries(
            entry(AccessTokenStore.class, onHandle(JdbiAccessTokenStore::new)),
            entry(ActivityStore.class, JdbiActivityStore::new),
            entry(AuditStore.class, onHandle(JdbiAuditStore::new)),
            entry(ClientStore.class, onHandle(JdbiClientStore::new)),
            entry(EventOutboxStore.class, onHandle(JdbiEventOutboxStore::new)),
            entry(EventReceiverStore.class, onHandle(JdbiEventReceiverStore::new)),
            entry(FeedBeatStore.class, onHandle(JdbiFeedBeatStore::new)),
            entry(GrantStore.class, onHandle(JdbiGrantStore::new)),
            entry(IssuedPairStore.class, onHandle(JdbiIssuedPairStore::new)),
            entry(LoginThrottleStore.class, onHandle(JdbiLoginThrottleStore::new)),
            entry(RefreshTokenStore.class, onHandle(JdbiRefreshTokenStore::new)),
            entry(RetentionStore.class, onHandle(JdbiRetentionStore::new)),
            entry(RevocationLogStore.class, JdbiRevocationLogStore::new),
            entry(RotationStore.class, onHandle(JdbiRotationStore::new)),
            entry(SessionRowsToRevokeStore.class, onHandle(JdbiSessionRowsToRevokeStore::new)),
            entry(SessionSearch.class, onHandle(JdbiSessionSearch::new)),
            entry(SessionTokensToRevokeStore.class, onHandle(JdbiSessionTokensToRevokeStore::new)),
            entry(SessionStore.class, onHandle(JdbiSessionStore::new)),
            entry(SettingsStore.class, onHandle(JdbiSettingsStore::new)),
            entry(SidecarStore.class, JdbiSidecarStore::new),
            entry(SigningKeyStore.class, onHandle(JdbiSigningKeyStore::new)),
            entry(SuccessorKeyStore.class, onHandle(JdbiSuccessorKeyStore::new)),
            entry(TokenSearch.class, onHandle(JdbiTokenSearch::new)),
            entry(UserStore.class, onHandle(JdbiUserStore::new)));

    private Stores() {}

    static Object create(Class<?> type, Handle handle, Database.Dialect dialect) {
        StoreConstructor implementation = IMPLEMENTATIONS.get(type);
        if (implementation == null) {
            throw new IllegalArgumentException("no store implements " + type.getName());
        }
        return implementation.create(handle, dialect);
    }

    /** A store's constructor; most take only the handle, a store whose SQL differs by database also the dialect. */
    @FunctionalInterface
    private interface StoreConstructor {
        Object create(Handle handle, Database.Dialect dialect);
    }

    private static StoreConstructor onHandle(Function<Handle, ?> constructor) {
        return (handle, dialect) -> constructor.apply(handle);
    }
}
