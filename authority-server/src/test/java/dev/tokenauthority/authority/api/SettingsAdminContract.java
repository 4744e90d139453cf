package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.GetSettingsRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The authority's settings: defaults, masked updates and their validation through real gRPC, on H2 and PostgreSQL. */
abstract class SettingsAdminContract extends DirectoryAdminContractBase {

    @Test
    void settingsStartWithTheirDefaults() {
        assertThat(admin.getSettings(GetSettingsRequest.getDefaultInstance())).isEqualTo(Settings.newBuilder()
                .setRefreshTokenRevocationDeletesGrant(false)
                .setRevokeTokensOnRoleRemoval(true)
                .setDefaultAccessTokenTtl(seconds(Duration.ofMinutes(15)))
                .setDefaultRefreshInactivityTtl(seconds(Duration.ofDays(7)))
                .setDefaultSessionMaxTtl(seconds(Duration.ofDays(30)))
                .setDefaultReuseGrace(seconds(Duration.ZERO))
                .setBulkRevokeConfirmAbove(1_000)
                .build());
    }

    @Test
    void updateSettingsChangesOnlyTheMaskedSettingsAndAuditsBeforeAndAfter() {
        Settings after = admin.updateSettings(UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                        .setRefreshTokenRevocationDeletesGrant(true)
                        .setRevokeTokensOnRoleRemoval(false)
                        .setDefaultSessionMaxTtl(seconds(Duration.ofDays(60))))
                .setUpdateMask(mask("refresh_token_revocation_deletes_grant", "default_session_max_ttl"))
                .setReason("policy change").build());
        assertThat(after.getRefreshTokenRevocationDeletesGrant()).isTrue();
        assertThat(after.getRevokeTokensOnRoleRemoval()).isTrue();
        assertThat(after.getDefaultSessionMaxTtl()).isEqualTo(seconds(Duration.ofDays(60)));
        assertThat(admin.getSettings(GetSettingsRequest.getDefaultInstance())).isEqualTo(after);

        AuditEvent event = audit("settings.update", "authority").get(0);
        assertThat(event.getReason()).isEqualTo("policy change");
        assertThat(event.getDetailsJson()).contains("\"refresh_revocation_deletes_grant_before\":\"false\"",
                "\"refresh_revocation_deletes_grant_after\":\"true\"", "\"default_session_max_ttl_seconds_after\":\"5184000\"")
                .doesNotContain("revoke_on_role_removal");

        // The stored setting is the one RFC 7009 revocation reads.
        TokenPair phone = fx.login(AuthorityFixture.ALICE);
        TokenPair laptop = fx.login(AuthorityFixture.ALICE);
        fx.auth().revoke(dev.tokenauthority.api.v1.RevokeRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setToken(phone.getRefreshToken()).build());
        assertThat(isActive(laptop.getRefreshToken())).isFalse();
    }

    @Test
    void updateSettingsRefusesUnknownPathsAndBadLifetimes() {
        Function<UpdateSettingsRequest.Builder, Runnable> update = r -> () -> admin.updateSettings(r.build());
        assertFails(Status.Code.INVALID_ARGUMENT, "update_mask", update.apply(UpdateSettingsRequest.newBuilder()
                .setUpdateMask(mask("max_access_token_ttl"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "update_mask", update.apply(UpdateSettingsRequest.newBuilder()));
        assertFails(Status.Code.INVALID_ARGUMENT, "settings.default_access_token_ttl", update.apply(
                UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                        .setDefaultAccessTokenTtl(seconds(Duration.ofHours(2))))
                        .setUpdateMask(mask("default_access_token_ttl"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "settings.default_refresh_inactivity_ttl", update.apply(
                UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                        .setDefaultRefreshInactivityTtl(seconds(Duration.ofDays(-1))))
                        .setUpdateMask(mask("default_refresh_inactivity_ttl"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "settings.default_session_max_ttl", update.apply(
                UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                        .setDefaultSessionMaxTtl(seconds(Duration.ofDays(1))))
                        .setUpdateMask(mask("default_session_max_ttl"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "settings.bulk_revoke_confirm_above", update.apply(
                UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder().setBulkRevokeConfirmAbove(-1))
                        .setUpdateMask(mask("bulk_revoke_confirm_above"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "settings.default_reuse_grace", update.apply(
                UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                        .setDefaultReuseGrace(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000)))
                        .setUpdateMask(mask("default_reuse_grace"))));
        assertThat(admin.getSettings(GetSettingsRequest.getDefaultInstance()).getDefaultAccessTokenTtl())
                .isEqualTo(seconds(Duration.ofMinutes(15)));
    }
}
