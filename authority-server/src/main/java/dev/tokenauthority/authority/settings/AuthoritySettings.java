package dev.tokenauthority.authority.settings;

import dev.tokenauthority.authority.storage.SettingsDao;
import dev.tokenauthority.authority.storage.Tx;
import java.util.Map;

/**
 * Settings an administrator changes at run time, stored in the database so every replica sees
 * the same values.
 *
 * @param refreshRevocationDeletesGrant revoking a refresh token also deletes the user's grant to
 *                                      the client and ends the grant's other sessions (seed 002); default off
 * @param revokeOnRoleRemoval           removing a role from a user revokes their tokens so the
 *                                      smaller role set applies at once (seed 004); default on
 */
public record AuthoritySettings(boolean refreshRevocationDeletesGrant, boolean revokeOnRoleRemoval) {

    public static final String REFRESH_REVOCATION_DELETES_GRANT = "refresh_revocation_deletes_grant";
    public static final String REVOKE_ON_ROLE_REMOVAL = "revoke_on_role_removal";

    public static final AuthoritySettings DEFAULTS = new AuthoritySettings(false, true);

    public static AuthoritySettings load(Tx handle) {
        Map<String, String> stored = handle.attach(SettingsDao.class).findAll();
        return new AuthoritySettings(
                flag(stored, REFRESH_REVOCATION_DELETES_GRANT, DEFAULTS.refreshRevocationDeletesGrant()),
                flag(stored, REVOKE_ON_ROLE_REMOVAL, DEFAULTS.revokeOnRoleRemoval()));
    }

    private static boolean flag(Map<String, String> stored, String name, boolean fallback) {
        String value = stored.get(name);
        return value == null ? fallback : Boolean.parseBoolean(value);
    }
}
