package dev.tokenauthority.authority.api;

import com.google.protobuf.FieldMask;
import dev.tokenauthority.api.v1.Grant;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.User;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.audit.AuditQuery;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAdministration;
import dev.tokenauthority.authority.grant.GrantListItem;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import dev.tokenauthority.authority.settings.SettingsAdministration;
import dev.tokenauthority.authority.token.ClientLifetimes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Conversions between the directory's admin messages (users, clients, grants, settings, audit
 * queries) and domain records, with the field checks they need. Field paths in errors are the
 * request's: {@code client.audiences}, {@code settings.default_access_token_ttl}.
 */
final class DirectoryMessages {

    private static final String CLIENT_PATHS =
            "name, audiences, scopes, permissions, access_token_ttl, refresh_inactivity_ttl, session_max_ttl, reuse_grace, "
            + "disabled";
    private static final String SETTINGS_PATHS = "refresh_token_revocation_deletes_grant, revoke_tokens_on_role_removal, "
            + "default_access_token_ttl, default_refresh_inactivity_ttl, default_session_max_ttl, default_reuse_grace, "
            + "bulk_revoke_confirm_above";

    private DirectoryMessages() {}

    static User user(dev.tokenauthority.authority.user.User u) {
        User.Builder user = User.newBuilder()
                .setUserId(u.id())
                .setEmail(u.email())
                .addAllRoles(u.roles())
                .setDisabled(u.disabled())
                .setCreatedAt(Timestamps.of(u.createdAt()))
                .setUpdatedAt(Timestamps.of(u.updatedAt()));
        if (u.tokenInvalidatedAt() != null) {
            user.setTokenInvalidatedAt(Timestamps.of(u.tokenInvalidatedAt()));
        }
        return user.build();
    }

    /** A client as administrators see it: never its secret or the secret's hash. */
    static dev.tokenauthority.api.v1.Client client(Client c) {
        return dev.tokenauthority.api.v1.Client.newBuilder()
                .setClientId(c.clientId())
                .setName(c.name())
                .setConfidential(c.confidential())
                .addAllAudiences(c.audiences())
                .addAllScopes(c.scopes())
                .addAllPermissions(c.permissions())
                .setAccessTokenTtl(duration(c.accessTokenTtl()))
                .setRefreshInactivityTtl(duration(c.refreshInactivityTtl()))
                .setSessionMaxTtl(duration(c.sessionMaxTtl()))
                .setReuseGrace(duration(c.reuseGrace()))
                .setCreatedAt(Timestamps.of(c.createdAt()))
                .setUpdatedAt(Timestamps.of(c.updatedAt()))
                .setDisabled(c.disabled())
                .build();
    }

    static Grant grant(GrantListItem item) {
        var g = item.grant();
        return Grant.newBuilder()
                .setGrantId(g.id())
                .setUserId(g.userId())
                .setUserEmail(item.userEmail())
                .setClientId(g.clientId())
                .addAllScopes(g.scopes())
                .setCreatedAt(Timestamps.of(g.createdAt()))
                .setUpdatedAt(Timestamps.of(g.updatedAt()))
                .build();
    }

    static Settings settings(AuthoritySettings s) {
        return Settings.newBuilder()
                .setRefreshTokenRevocationDeletesGrant(s.refreshRevocationDeletesGrant())
                .setRevokeTokensOnRoleRemoval(s.revokeOnRoleRemoval())
                .setDefaultAccessTokenTtl(duration(s.defaultAccessTokenTtl()))
                .setDefaultRefreshInactivityTtl(duration(s.defaultRefreshInactivityTtl()))
                .setDefaultSessionMaxTtl(duration(s.defaultSessionMaxTtl()))
                .setDefaultReuseGrace(duration(s.defaultReuseGrace()))
                .setBulkRevokeConfirmAbove(s.bulkRevokeConfirmAbove())
                .build();
    }

    /** The lifetimes a CreateClient request sets; those it leaves unset are null (the settings' defaults apply). */
    static ClientLifetimes requestedLifetimes(dev.tokenauthority.api.v1.Client c) {
        return new ClientLifetimes(
                c.hasAccessTokenTtl() ? duration("client.access_token_ttl", c.getAccessTokenTtl()) : null,
                c.hasRefreshInactivityTtl() ? duration("client.refresh_inactivity_ttl", c.getRefreshInactivityTtl()) : null,
                c.hasSessionMaxTtl() ? duration("client.session_max_ttl", c.getSessionMaxTtl()) : null,
                c.hasReuseGrace() ? duration("client.reuse_grace", c.getReuseGrace()) : null);
    }

    static ClientAdministration.ClientChanges clientChanges(dev.tokenauthority.api.v1.Client c, FieldMask mask) {
        if (mask.getPathsCount() == 0) {
            throw AuthorityException.invalidArgument("update_mask", "name the fields to change: " + CLIENT_PATHS);
        }
        String name = null;
        List<String> audiences = null;
        List<String> scopes = null;
        List<String> permissions = null;
        Duration access = null;
        Duration refresh = null;
        Duration session = null;
        Duration grace = null;
        Boolean disabled = null;
        for (String path : mask.getPathsList()) {
            switch (path) {
                case "name" -> name = RequestFields.required("client.name", c.getName());
                case "audiences" -> audiences = RequestFields.names("client.audiences", c.getAudiencesList());
                case "scopes" -> scopes = RequestFields.names("client.scopes", c.getScopesList());
                case "permissions" -> permissions = RequestFields.names("client.permissions", c.getPermissionsList());
                case "access_token_ttl" -> access = required("client.access_token_ttl", c.hasAccessTokenTtl(),
                        c.getAccessTokenTtl());
                case "refresh_inactivity_ttl" -> refresh = required("client.refresh_inactivity_ttl",
                        c.hasRefreshInactivityTtl(), c.getRefreshInactivityTtl());
                case "session_max_ttl" -> session = required("client.session_max_ttl", c.hasSessionMaxTtl(),
                        c.getSessionMaxTtl());
                case "reuse_grace" -> grace = required("client.reuse_grace", c.hasReuseGrace(), c.getReuseGrace());
                case "disabled" -> disabled = c.getDisabled();
                default -> throw AuthorityException.invalidArgument("update_mask",
                        "unknown path '" + RequestFields.optional("update_mask", path, 128) + "'; updatable: " + CLIENT_PATHS);
            }
        }
        return new ClientAdministration.ClientChanges(name, audiences, scopes, permissions,
                new ClientLifetimes(access, refresh, session, grace), disabled);
    }

    static SettingsAdministration.SettingsChanges settingsChanges(Settings s, FieldMask mask) {
        if (mask.getPathsCount() == 0) {
            throw AuthorityException.invalidArgument("update_mask", "name the settings to change: " + SETTINGS_PATHS);
        }
        Boolean deletesGrant = null;
        Boolean revokeOnRoleRemoval = null;
        Duration access = null;
        Duration refresh = null;
        Duration session = null;
        Duration grace = null;
        Long confirmAbove = null;
        for (String path : mask.getPathsList()) {
            switch (path) {
                case "refresh_token_revocation_deletes_grant" -> deletesGrant = s.getRefreshTokenRevocationDeletesGrant();
                case "revoke_tokens_on_role_removal" -> revokeOnRoleRemoval = s.getRevokeTokensOnRoleRemoval();
                case "default_access_token_ttl" -> access = required("settings.default_access_token_ttl",
                        s.hasDefaultAccessTokenTtl(), s.getDefaultAccessTokenTtl());
                case "default_refresh_inactivity_ttl" -> refresh = required("settings.default_refresh_inactivity_ttl",
                        s.hasDefaultRefreshInactivityTtl(), s.getDefaultRefreshInactivityTtl());
                case "default_session_max_ttl" -> session = required("settings.default_session_max_ttl",
                        s.hasDefaultSessionMaxTtl(), s.getDefaultSessionMaxTtl());
                case "default_reuse_grace" -> grace = required("settings.default_reuse_grace",
                        s.hasDefaultReuseGrace(), s.getDefaultReuseGrace());
                case "bulk_revoke_confirm_above" -> confirmAbove = atLeastZero("settings.bulk_revoke_confirm_above",
                        s.getBulkRevokeConfirmAbove());
                default -> throw AuthorityException.invalidArgument("update_mask",
                        "unknown path '" + RequestFields.optional("update_mask", path, 128) + "'; updatable: " + SETTINGS_PATHS);
            }
        }
        return new SettingsAdministration.SettingsChanges(deletesGrant, revokeOnRoleRemoval,
                new ClientLifetimes(access, refresh, session, grace), confirmAbove);
    }

    private static long atLeastZero(String field, long value) {
        if (value < 0) {
            throw AuthorityException.invalidArgument(field, "must be 0 or more");
        }
        return value;
    }

    static AuditQuery auditQuery(ListAuditEventsRequest r) {
        Instant after = r.hasOccurredAfter() ? AdminMessages.instant(r.getOccurredAfter()) : null;
        Instant before = r.hasOccurredBefore() ? AdminMessages.instant(r.getOccurredBefore()) : null;
        AdminMessages.requireRange("occurred_after", after, before);
        return new AuditQuery(emptyToNull(RequestFields.optional("actor_id", r.getActorId())),
                emptyToNull(RequestFields.optional("action", r.getAction())),
                emptyToNull(RequestFields.optional("target_id", r.getTargetId())), after, before);
    }

    static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    static com.google.protobuf.Duration duration(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    private static Duration required(String field, boolean present, com.google.protobuf.Duration d) {
        if (!present) {
            throw AuthorityException.invalidArgument(field, "is required by the update mask");
        }
        return duration(field, d);
    }

    /** A protobuf Duration as java.time, INVALID_ARGUMENT naming the field if it is malformed. */
    static Duration duration(String field, com.google.protobuf.Duration d) {
        boolean mixedSigns = (d.getSeconds() < 0 && d.getNanos() > 0) || (d.getSeconds() > 0 && d.getNanos() < 0);
        if (mixedSigns || Math.abs(d.getNanos()) > 999_999_999) {
            throw AuthorityException.invalidArgument(field, "is not a valid duration");
        }
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }
}
