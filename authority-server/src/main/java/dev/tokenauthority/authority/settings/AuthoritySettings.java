package dev.tokenauthority.authority.settings;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.token.ClientLifetimes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings an administrator changes at run time, stored in the database so every replica sees
 * the same values. A setting never stored has its default.
 *
 * @param refreshRevocationDeletesGrant revoking a refresh token also deletes the user's grant to
 *                                      the client and ends the grant's other sessions; default off
 * @param revokeOnRoleRemoval           removing a role from a user revokes their tokens so the
 *                                      smaller role set applies at once; default on
 * @param defaultAccessTokenTtl         the access-token lifetime of new clients that name none; default 15 minutes
 * @param defaultRefreshInactivityTtl   their sliding refresh-token lifetime; default 7 days
 * @param defaultSessionMaxTtl          their absolute session lifetime; default 30 days
 * @param defaultReuseGrace             their refresh-token reuse grace; default none
 * @param bulkRevokeConfirmAbove        a bulk revocation by filter that would revoke more tokens
 *                                      than this needs its preview's count echoed back; default 1,000
 */
public record AuthoritySettings(boolean refreshRevocationDeletesGrant, boolean revokeOnRoleRemoval,
        Duration defaultAccessTokenTtl, Duration defaultRefreshInactivityTtl, Duration defaultSessionMaxTtl,
        Duration defaultReuseGrace, long bulkRevokeConfirmAbove) {

    public static final String REFRESH_REVOCATION_DELETES_GRANT = "refresh_revocation_deletes_grant";
    public static final String REVOKE_ON_ROLE_REMOVAL = "revoke_on_role_removal";
    /** The default lifetimes are stored as whole seconds. */
    public static final String DEFAULT_ACCESS_TOKEN_TTL = "default_access_token_ttl_seconds";
    public static final String DEFAULT_REFRESH_INACTIVITY_TTL = "default_refresh_inactivity_ttl_seconds";
    public static final String DEFAULT_SESSION_MAX_TTL = "default_session_max_ttl_seconds";
    public static final String DEFAULT_REUSE_GRACE = "default_reuse_grace_seconds";
    public static final String BULK_REVOKE_CONFIRM_ABOVE = "bulk_revoke_confirm_above";

    /**
     * The default lifetimes: 15-minute access tokens, 7-day sliding refresh, 30-day session, no reuse grace;
     * a bulk revocation by filter of more than 1,000 tokens is confirmed with its preview's count.
     */
    public static final AuthoritySettings DEFAULTS = new AuthoritySettings(false, true, Duration.ofMinutes(15),
            Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, 1_000);

    public static AuthoritySettings load(Transaction tx) {
        Map<String, String> stored = tx.store(SettingsStore.class).findAll();
        return new AuthoritySettings(
                flag(stored, REFRESH_REVOCATION_DELETES_GRANT, DEFAULTS.refreshRevocationDeletesGrant()),
                flag(stored, REVOKE_ON_ROLE_REMOVAL, DEFAULTS.revokeOnRoleRemoval()),
                seconds(stored, DEFAULT_ACCESS_TOKEN_TTL, DEFAULTS.defaultAccessTokenTtl()),
                seconds(stored, DEFAULT_REFRESH_INACTIVITY_TTL, DEFAULTS.defaultRefreshInactivityTtl()),
                seconds(stored, DEFAULT_SESSION_MAX_TTL, DEFAULTS.defaultSessionMaxTtl()),
                seconds(stored, DEFAULT_REUSE_GRACE, DEFAULTS.defaultReuseGrace()),
                number(stored, BULK_REVOKE_CONFIRM_ABOVE, DEFAULTS.bulkRevokeConfirmAbove()));
    }

    /** The lifetimes a new client gets for what it leaves unset. */
    public ClientLifetimes defaultLifetimes() {
        return new ClientLifetimes(defaultAccessTokenTtl, defaultRefreshInactivityTtl, defaultSessionMaxTtl,
                defaultReuseGrace);
    }

    /** Every setting in its stored form, by name (what {@link SettingsStore#put} writes). */
    public Map<String, String> stored() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(REFRESH_REVOCATION_DELETES_GRANT, Boolean.toString(refreshRevocationDeletesGrant));
        values.put(REVOKE_ON_ROLE_REMOVAL, Boolean.toString(revokeOnRoleRemoval));
        values.put(DEFAULT_ACCESS_TOKEN_TTL, Long.toString(defaultAccessTokenTtl.toSeconds()));
        values.put(DEFAULT_REFRESH_INACTIVITY_TTL, Long.toString(defaultRefreshInactivityTtl.toSeconds()));
        values.put(DEFAULT_SESSION_MAX_TTL, Long.toString(defaultSessionMaxTtl.toSeconds()));
        values.put(DEFAULT_REUSE_GRACE, Long.toString(defaultReuseGrace.toSeconds()));
        values.put(BULK_REVOKE_CONFIRM_ABOVE, Long.toString(bulkRevokeConfirmAbove));
        return values;
    }

    private static boolean flag(Map<String, String> stored, String name, boolean fallback) {
        String value = stored.get(name);
        return value == null ? fallback : Boolean.parseBoolean(value);
    }

    private static long number(Map<String, String> stored, String name, long fallback) {
        String value = stored.get(name);
        return value == null ? fallback : Long.parseLong(value.trim());
    }

    private static Duration seconds(Map<String, String> stored, String name, Duration fallback) {
        String value = stored.get(name);
        return value == null ? fallback : Duration.ofSeconds(Long.parseLong(value.trim()));
    }
}
