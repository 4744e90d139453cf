package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.CreateClientRequest;
import dev.tokenauthority.api.v1.CreateClientResponse;
import dev.tokenauthority.api.v1.DeleteClientRequest;
import dev.tokenauthority.api.v1.GetClientRequest;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.ListClientsRequest;
import dev.tokenauthority.api.v1.ListClientsResponse;
import dev.tokenauthority.api.v1.ListGrantsRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.UpdateClientRequest;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Clients: creation, listing, updates, secret rotation and deletion through real gRPC, on H2 and PostgreSQL. */
abstract class ClientAdminContract extends DirectoryAdminContractBase {

    Client.Builder newClient(String clientId, boolean confidential) {
        return Client.newBuilder().setClientId(clientId).setName("Billing").setConfidential(confidential)
                .addAudiences(DemoData.AUDIENCE).addScopes("read");
    }

    @Test
    void createConfidentialClientShowsItsSecretOnceAndTheSecretWorks() {
        CreateClientResponse created = admin.createClient(CreateClientRequest.newBuilder()
                .setClient(newClient("billing.backend-1", true).addPermissions("tokens:issue")).build());
        assertThat(created.getClientSecret()).startsWith("ta_cs_");
        Client client = created.getClient();
        assertThat(client.getAccessTokenTtl()).isEqualTo(seconds(Duration.ofMinutes(15)));
        assertThat(client.getRefreshInactivityTtl()).isEqualTo(seconds(Duration.ofDays(7)));
        assertThat(client.getSessionMaxTtl()).isEqualTo(seconds(Duration.ofDays(30)));
        assertThat(client.getReuseGrace()).isEqualTo(seconds(Duration.ZERO));
        assertThat(admin.getClient(GetClientRequest.newBuilder().setClientId("billing.backend-1").build()))
                .isEqualTo(client);
        assertThat(fx.auth().issueTokens(IssueTokensRequest.newBuilder().setClientId("billing.backend-1")
                .setClientSecret(created.getClientSecret()).setUserId(fx.user(AuthorityFixture.ALICE).id()).build())
                .getAccessToken()).isNotEmpty();
        AuditEvent event = audit("client.create", "billing.backend-1").get(0);
        assertThat(event.getDetailsJson()).contains("\"permissions_after\":\"tokens:issue\"")
                .doesNotContain(created.getClientSecret());
    }

    @Test
    void createPublicClientHasNoSecretAndTakesItsUnsetLifetimesFromTheSettings() {
        admin.updateSettings(UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                .setDefaultAccessTokenTtl(seconds(Duration.ofMinutes(5)))).setUpdateMask(mask("default_access_token_ttl"))
                .build());
        CreateClientResponse created = admin.createClient(CreateClientRequest.newBuilder()
                .setClient(newClient("spa", false).setSessionMaxTtl(seconds(Duration.ofDays(10)))).build());
        assertThat(created.getClientSecret()).isEmpty();
        assertThat(created.getClient().getAccessTokenTtl()).isEqualTo(seconds(Duration.ofMinutes(5)));
        assertThat(created.getClient().getSessionMaxTtl()).isEqualTo(seconds(Duration.ofDays(10)));
        assertThat(created.getClient().getRefreshInactivityTtl()).isEqualTo(seconds(Duration.ofDays(7)));
        TokenPair pair = loginTo("spa", AuthorityFixture.ALICE);
        assertThat(pair.getAccessTokenExpiresAt().getSeconds() - fx.clock.instant().getEpochSecond())
                .isBetween(299L, 300L);
    }

    @Test
    void createClientRefusesBadInputNamingTheField() {
        assertFails(Status.Code.INVALID_ARGUMENT, "client.client_id", () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient("has space", false)).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.client_id", () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient("x".repeat(129), false)).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.name", () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient("billing", false).clearName()).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.audiences", () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient("billing", false).clearAudiences()).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.permissions", () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient("billing", true).addPermissions("admin"))
                        .build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.access_token_ttl", () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient("billing", false)
                        .setAccessTokenTtl(seconds(Duration.ofHours(2)))).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.session_max_ttl", () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient("billing", false)
                        .setSessionMaxTtl(seconds(Duration.ofDays(1)))).build()));
        assertFails(Status.Code.ALREADY_EXISTS, null, () -> admin.createClient(
                CreateClientRequest.newBuilder().setClient(newClient(DemoData.APP_CLIENT, false)).build()));
        assertFails(Status.Code.NOT_FOUND, null,
                () -> admin.getClient(GetClientRequest.newBuilder().setClientId("billing").build()));
    }

    @Test
    void aConfidentialClientWithOnlyAPermissionNeedsNoAudienceButAnyOtherClientDoes() {
        CreateClientResponse sidecar = admin.createClient(CreateClientRequest.newBuilder()
                .setClient(newClient("orders-sidecar", true).clearAudiences().addPermissions("feed:subscribe"))
                .build());

        assertThat(sidecar.getClient().getAudiencesList()).isEmpty();
        assertThat(sidecar.getClientSecret()).startsWith("ta_cs_");
        assertFails(Status.Code.INVALID_ARGUMENT, "client.audiences", () -> admin.createClient(CreateClientRequest
                .newBuilder().setClient(newClient("no-permission", true).clearAudiences()).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.audiences", () -> admin.createClient(CreateClientRequest
                .newBuilder().setClient(newClient("public-app", false).clearAudiences()
                        .addPermissions("feed:subscribe")).build()));
    }

    @Test
    void listClientsPagesByClientIdWithTheTotal() {
        for (String id : List.of("zeta", "alpha", "mu")) {
            admin.createClient(CreateClientRequest.newBuilder().setClient(newClient(id, false)).build());
        }
        List<Client> all = allPages(token -> admin.listClients(ListClientsRequest.newBuilder().setPageSize(3)
                .setPageToken(token).build()), ListClientsResponse::getClientsList,
                ListClientsResponse::getNextPageToken, 3);
        assertThat(all).extracting(Client::getClientId).containsExactly(AdminAccess.CLI_CLIENT,
                AdminAccess.CONSOLE_CLIENT, "alpha", AuthorityFixture.BACKEND_CLIENT, DemoData.APP_CLIENT,
                DemoData.SIDECAR_CLIENT, "mu", AuthorityFixture.OTHER_PUBLIC_CLIENT, "zeta");
        assertThat(admin.listClients(ListClientsRequest.getDefaultInstance()).getTotalSize()).isEqualTo(9);
        assertFails(Status.Code.INVALID_ARGUMENT, "page_token",
                () -> admin.listClients(ListClientsRequest.newBuilder().setPageToken("bm9wZQ").build()));
    }

    @Test
    void updateClientChangesOnlyTheMaskedFieldsAndAuditsThem() {
        Client before = admin.getClient(GetClientRequest.newBuilder().setClientId(DemoData.APP_CLIENT).build());
        fx.clock.advance(Duration.ofSeconds(5));
        Client after = admin.updateClient(UpdateClientRequest.newBuilder().setClient(Client.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setName("Renamed").addScopes("ignored")
                .setAccessTokenTtl(seconds(Duration.ofMinutes(10))).setReuseGrace(seconds(Duration.ofSeconds(30))))
                .setUpdateMask(mask("name", "access_token_ttl", "reuse_grace")).setReason("tighten").build());
        assertThat(after.getName()).isEqualTo("Renamed");
        assertThat(after.getAccessTokenTtl()).isEqualTo(seconds(Duration.ofMinutes(10)));
        assertThat(after.getReuseGrace()).isEqualTo(seconds(Duration.ofSeconds(30)));
        assertThat(after.getScopesList()).isEqualTo(before.getScopesList());
        assertThat(after.getUpdatedAt().getSeconds()).isGreaterThan(before.getUpdatedAt().getSeconds());
        assertThat(admin.getClient(GetClientRequest.newBuilder().setClientId(DemoData.APP_CLIENT).build()))
                .isEqualTo(after);
        AuditEvent event = audit("client.update", DemoData.APP_CLIENT).get(0);
        assertThat(event.getReason()).isEqualTo("tighten");
        assertThat(event.getDetailsJson()).contains("\"name_before\":\"Demo application\"", "\"name_after\":\"Renamed\"",
                "\"access_token_ttl_before\":\"PT15M\"", "\"access_token_ttl_after\":\"PT10M\"")
                .doesNotContain("scopes_");
    }

    @Test
    void updateClientRefusesUnknownPathsAndInconsistentLifetimes() {
        Function<UpdateClientRequest.Builder, Runnable> update = r -> () -> admin.updateClient(r.build());
        Client.Builder app = Client.newBuilder().setClientId(DemoData.APP_CLIENT);
        assertFails(Status.Code.INVALID_ARGUMENT, "update_mask", update.apply(UpdateClientRequest.newBuilder()
                .setClient(app).setUpdateMask(mask("confidential"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "update_mask", update.apply(UpdateClientRequest.newBuilder()
                .setClient(app)));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.session_max_ttl", update.apply(UpdateClientRequest
                .newBuilder().setClient(app.clone().setSessionMaxTtl(seconds(Duration.ofDays(1))))
                .setUpdateMask(mask("session_max_ttl"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.refresh_inactivity_ttl", update.apply(UpdateClientRequest
                .newBuilder().setClient(app.clone().setRefreshInactivityTtl(seconds(Duration.ZERO)))
                .setUpdateMask(mask("refresh_inactivity_ttl"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.reuse_grace", update.apply(UpdateClientRequest.newBuilder()
                .setClient(app.clone().setReuseGrace(seconds(Duration.ofHours(2)))).setUpdateMask(mask("reuse_grace"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.reuse_grace", update.apply(UpdateClientRequest.newBuilder()
                .setClient(app.clone().setReuseGrace(seconds(Duration.ofSeconds(-1)))).setUpdateMask(mask("reuse_grace"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.access_token_ttl", update.apply(UpdateClientRequest
                .newBuilder().setClient(app).setUpdateMask(mask("access_token_ttl"))));
        assertFails(Status.Code.INVALID_ARGUMENT, "client.audiences", update.apply(UpdateClientRequest.newBuilder()
                .setClient(app).setUpdateMask(mask("audiences"))));
        assertFails(Status.Code.NOT_FOUND, null, update.apply(UpdateClientRequest.newBuilder()
                .setClient(Client.newBuilder().setClientId("nope").setName("x")).setUpdateMask(mask("name"))));
    }

    @Test
    void rotateClientSecretReplacesAConfidentialClientsSecretAndRefusesPublicClients() {
        String newSecret = admin.rotateClientSecret(RotateClientSecretRequest.newBuilder()
                .setClientId(AuthorityFixture.BACKEND_CLIENT).setReason("leaked").build()).getClientSecret();
        assertThat(newSecret).startsWith("ta_cs_").isNotEqualTo(fx.backendSecret);
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        IssueTokensRequest.Builder issue = IssueTokensRequest.newBuilder().setClientId(AuthorityFixture.BACKEND_CLIENT)
                .setUserId(aliceId);
        assertFails(Status.Code.UNAUTHENTICATED, null,
                () -> fx.auth().issueTokens(issue.clone().setClientSecret(fx.backendSecret).build()));
        assertThat(fx.auth().issueTokens(issue.clone().setClientSecret(newSecret).build()).getAccessToken()).isNotEmpty();
        assertThat(audit("client.rotate_secret", AuthorityFixture.BACKEND_CLIENT).get(0).getDetailsJson())
                .doesNotContain(newSecret);

        assertFails(Status.Code.FAILED_PRECONDITION, null, () -> admin.rotateClientSecret(
                RotateClientSecretRequest.newBuilder().setClientId(DemoData.APP_CLIENT).build()));
        assertFails(Status.Code.NOT_FOUND, null, () -> admin.rotateClientSecret(
                RotateClientSecretRequest.newBuilder().setClientId("nope").build()));
    }

    @Test
    void deleteClientRevokesItsSessionsThenRemovesItAndItsGrants() {
        TokenPair alice = loginTo(AuthorityFixture.OTHER_PUBLIC_CLIENT, AuthorityFixture.ALICE);
        TokenPair bob = loginTo(AuthorityFixture.OTHER_PUBLIC_CLIENT, AuthorityFixture.BOB);
        TokenPair unaffected = fx.login(AuthorityFixture.ALICE);
        long sequence = admin.deleteClient(DeleteClientRequest.newBuilder()
                .setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT).setReason("retired").build()).getFeedSequence();
        assertThat(sequence).isPositive();
        assertThat(isActive(alice.getAccessToken())).isFalse();
        assertThat(isActive(bob.getAccessToken())).isFalse();
        assertThat(isActive(unaffected.getAccessToken())).isTrue();
        assertFails(Status.Code.NOT_FOUND, null, () -> admin.getClient(GetClientRequest.newBuilder()
                .setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT).build()));
        assertThat(admin.listGrants(ListGrantsRequest.newBuilder().setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT)
                .build()).getGrantsList()).isEmpty();
        assertThat(admin.listTokens(ListTokensRequest.newBuilder().setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT)
                .build()).getTotalSize()).isZero();
        assertThat(audit("client.delete", AuthorityFixture.OTHER_PUBLIC_CLIENT).get(0).getDetailsJson())
                .contains("\"revoked_sessions\":2", "\"deleted_grants\":2");
        assertThat(audit("session.revoke_client_deleted", alice.getSessionId())).hasSize(1);
        assertFails(Status.Code.NOT_FOUND, null, () -> admin.deleteClient(DeleteClientRequest.newBuilder()
                .setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT).build()));
    }
}
