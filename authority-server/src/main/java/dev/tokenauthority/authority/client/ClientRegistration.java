package dev.tokenauthority.authority.client;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import dev.tokenauthority.authority.token.ClientLifetimes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Registers clients. A confidential client's secret is generated here, returned once, and only
 * its hash is kept. Lifetimes a registration leaves unset come from the settings (by default
 * 15-minute access tokens, a 7-day sliding refresh lifetime, a 30-day absolute session, no
 * reuse grace).
 */
public final class ClientRegistration {

    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = AuthoritySettings.DEFAULTS.defaultAccessTokenTtl();
    public static final Duration DEFAULT_REFRESH_INACTIVITY_TTL = AuthoritySettings.DEFAULTS.defaultRefreshInactivityTtl();
    public static final Duration DEFAULT_SESSION_MAX_TTL = AuthoritySettings.DEFAULTS.defaultSessionMaxTtl();
    public static final Duration DEFAULT_REUSE_GRACE = AuthoritySettings.DEFAULTS.defaultReuseGrace();

    private static final String SECRET_PREFIX = "ta_cs_";

    /** A new client and, for a confidential one, its secret in clear (shown once). */
    public record Registered(Client client, String secret) {
        @Override
        public String toString() {
            return "Registered[" + client.clientId() + ", secret=<redacted>]";
        }
    }

    /** What a new client should be. */
    public record Spec(String clientId, String name, boolean confidential, List<String> audiences, List<String> scopes,
            List<String> permissions) {
    }

    /** Registers a client with the settings' default lifetimes. */
    public Registered register(Transaction tx, Spec spec, Instant now) {
        return register(tx, spec, AuthoritySettings.load(tx).defaultLifetimes(), now);
    }

    /** Registers a client with these lifetimes (already validated). */
    public Registered register(Transaction tx, Spec spec, ClientLifetimes lifetimes, Instant now) {
        String secret = spec.confidential() ? newSecret() : null;
        Client client = new Client(spec.clientId(), spec.name(), spec.confidential(),
                secret == null ? null : Secrets.hash(secret), spec.audiences(), spec.scopes(), spec.permissions(),
                lifetimes.accessTokenTtl(), lifetimes.refreshInactivityTtl(), lifetimes.sessionMaxTtl(),
                lifetimes.reuseGrace(), now, now, false);
        tx.store(ClientStore.class).insert(client);
        return new Registered(client, secret);
    }

    /** Replaces a confidential client's secret and returns the new one. */
    public String rotateSecret(Transaction tx, String clientId, Instant now) {
        String secret = newSecret();
        tx.store(ClientStore.class).updateSecretHash(clientId, Secrets.hash(secret), now);
        return secret;
    }

    private static String newSecret() {
        return SECRET_PREFIX + Secrets.randomBase64Url(32);
    }
}
