package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.CreateClientRequest;
import dev.tokenauthority.api.v1.CreateClientResponse;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.DeleteClientRequest;
import dev.tokenauthority.api.v1.DeleteUserRequest;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.EnableUserRequest;
import dev.tokenauthority.api.v1.GetClientRequest;
import dev.tokenauthority.api.v1.GetSettingsRequest;
import dev.tokenauthority.api.v1.GetUserRequest;
import dev.tokenauthority.api.v1.Grant;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.ListAuditEventsResponse;
import dev.tokenauthority.api.v1.ListClientsRequest;
import dev.tokenauthority.api.v1.ListClientsResponse;
import dev.tokenauthority.api.v1.ListGrantsRequest;
import dev.tokenauthority.api.v1.ListGrantsResponse;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListUsersRequest;
import dev.tokenauthority.api.v1.ListUsersResponse;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeGrantRequest;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.SetUserRolesRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.UpdateClientRequest;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.api.v1.User;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users, clients, grants, settings and audit through real gRPC, on H2 and PostgreSQL. */
abstract class DirectoryAdminContract {

    AuthorityFixture fx;
    AdminServiceGrpc.AdminServiceBlockingStub admin;
    String adminId;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.admin(fx.loginAdmin().getAccessToken());
        adminId = fx.user(DemoData.ADMIN_EMAIL).id();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    // ---- helpers ----

    static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("call succeeded");
    }

    /** Asserts the call fails with {@code code} and a description that starts with {@code field}. */
    static void assertFails(Status.Code code, String field, Runnable call) {
        Status status = failure(call).getStatus();
        assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
        if (field != null) {
            assertThat(status.getDescription()).startsWith(field + ":");
        }
    }

    boolean isActive(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build()).getActive();
    }

    TokenPair loginTo(String clientId, String email) {
        return fx.auth().login(LoginRequest.newBuilder().setClientId(clientId).setUsername(email)
                .setPassword(DemoData.USER_PASSWORD).build());
    }

    Status.Code refreshCode(TokenPair pair) {
        try {
            fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                    .setRefreshToken(pair.getRefreshToken()).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    User createUser(String email, String... roles) {
        return admin.createUser(CreateUserRequest.newBuilder().setEmail(email).setPassword(DemoData.USER_PASSWORD)
                .addAllRoles(List.of(roles)).build());
    }

    List<AuditEvent> audit(String action, String targetId) {
        return admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction(action).setTargetId(targetId)
                .build()).getEventsList();
    }

    static com.google.protobuf.Duration seconds(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).build();
    }

    static FieldMask mask(String... paths) {
        return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
    }

    static Timestamp timestamp(java.time.Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Every item of a paged listing, following next_page_token; asserts no page is larger than asked. */
    static <R, T> List<T> allPages(Function<String, R> call, Function<R, List<T>> items, Function<R, String> next,
            int pageSize) {
        List<T> all = new ArrayList<>();
        String token = "";
        do {
            R page = call.apply(token);
            assertThat(items.apply(page)).hasSizeLessThanOrEqualTo(pageSize);
            all.addAll(items.apply(page));
            token = next.apply(page);
        } while (!token.isEmpty());
        return all;
    }

    // ---- users ----

    @Test
    void createUserStoresTheAccountWhichCanThenLogIn() {
        User created = createUser("Carol@Example.com", "viewer");
        assertThat(created.getUserId()).startsWith("usr_");
        assertThat(created.getEmail()).isEqualTo("Carol@Example.com");
        assertThat(created.getRolesList()).containsExactly("viewer");
        assertThat(created.getDisabled()).isFalse();
        assertThat(admin.getUser(GetUserRequest.newBuilder().setUserId(created.getUserId()).build()))
                .isEqualTo(created);
        assertThat(isActive(fx.login("carol@example.com").getAccessToken())).isTrue();

        AuditEvent event = audit("user.create", created.getUserId()).get(0);
        assertThat(event.getActorId()).isEqualTo(adminId);
        assertThat(event.getActorEmail()).isEqualTo(DemoData.ADMIN_EMAIL);
        assertThat(event.getDetailsJson()).contains("\"roles_after\":\"viewer\"").doesNotContain(DemoData.USER_PASSWORD);
    }

    @Test
    void createUserRefusesUnknownRolesShortPasswordsAndMissingEmails() {
        assertFails(Status.Code.INVALID_ARGUMENT, "roles", () -> createUser("dave@example.com", "superuser"));
        assertFails(Status.Code.INVALID_ARGUMENT, "password", () -> admin.createUser(CreateUserRequest.newBuilder()
                .setEmail("dave@example.com").setPassword("short").build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "email", () -> admin.createUser(CreateUserRequest.newBuilder()
                .setPassword(DemoData.USER_PASSWORD).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "email", () -> admin.createUser(CreateUserRequest.newBuilder()
                .setEmail("not-an-email").setPassword(DemoData.USER_PASSWORD).build()));
        StatusRuntimeException shortPassword = failure(() -> admin.createUser(CreateUserRequest.newBuilder()
                .setEmail("dave@example.com").setPassword("hunter2").build()));
        assertThat(shortPassword.getStatus().getDescription()).doesNotContain("hunter2");
    }

    @Test
    void createUserWithAnEmailInUseIsAlreadyExistsWhateverItsCase() {
        assertFails(Status.Code.ALREADY_EXISTS, null, () -> createUser("ALICE@example.com"));
    }

    @Test
    void getUserOfAnUnknownIdIsNotFound() {
        assertFails(Status.Code.NOT_FOUND, null,
                () -> admin.getUser(GetUserRequest.newBuilder().setUserId("usr_nobody").build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "user_id", () -> admin.getUser(GetUserRequest.getDefaultInstance()));
    }

    @Test
    void listUsersPagesByEmailWithTheTotalAndFiltersBySubstring() {
        for (String name : List.of("pager-e", "pager-b", "pager-d", "pager-a", "pager-c")) {
            createUser(name + "@example.com");
        }
        List<User> all = allPages(token -> admin.listUsers(ListUsersRequest.newBuilder().setPageSize(2)
                .setPageToken(token).build()), ListUsersResponse::getUsersList, ListUsersResponse::getNextPageToken, 2);
        assertThat(all).extracting(User::getEmail).isSorted().hasSize(8)
                .contains(AuthorityFixture.ALICE, DemoData.ADMIN_EMAIL, "pager-a@example.com");

        ListUsersResponse first = admin.listUsers(ListUsersRequest.newBuilder().setQuery("PAGER").setPageSize(2).build());
        assertThat(first.getTotalSize()).isEqualTo(5);
        assertThat(first.getUsersList()).extracting(User::getEmail)
                .containsExactly("pager-a@example.com", "pager-b@example.com");
        ListUsersResponse second = admin.listUsers(ListUsersRequest.newBuilder().setQuery("PAGER").setPageSize(2)
                .setPageToken(first.getNextPageToken()).build());
        assertThat(second.getUsersList()).extracting(User::getEmail)
                .containsExactly("pager-c@example.com", "pager-d@example.com");

        assertFails(Status.Code.INVALID_ARGUMENT, "page_token", () -> admin.listUsers(ListUsersRequest.newBuilder()
                .setQuery("alice").setPageToken(first.getNextPageToken()).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "page_size",
                () -> admin.listUsers(ListUsersRequest.newBuilder().setPageSize(501).build()));
    }

    @Test
    void removingARoleRevokesTheUsersTokensAndAuditsBeforeAndAfter() {
        User operator = createUser("ops@example.com", "operator", "viewer");
        TokenPair pair = fx.login("ops@example.com");
        User changed = admin.setUserRoles(SetUserRolesRequest.newBuilder().setUserId(operator.getUserId())
                .addRoles("viewer").setReason("moved team").build());
        assertThat(changed.getRolesList()).containsExactly("viewer");
        assertThat(changed.hasTokenInvalidatedAt()).isTrue();
        assertThat(isActive(pair.getAccessToken())).isFalse();
        assertThat(isActive(pair.getRefreshToken())).isFalse();

        AuditEvent event = audit("user.set_roles", operator.getUserId()).get(0);
        assertThat(event.getReason()).isEqualTo("moved team");
        assertThat(event.getDetailsJson()).contains("\"roles_before\":\"operator viewer\"",
                "\"roles_after\":\"viewer\"", "\"tokens_revoked\":true");
        assertThat(audit("user.revoke_tokens_on_role_removal", operator.getUserId())).hasSize(1);
    }

    @Test
    void addingARoleKeepsTheUsersTokens() {
        User viewer = createUser("viewer@example.com", "viewer");
        TokenPair pair = fx.login("viewer@example.com");
        admin.setUserRoles(SetUserRolesRequest.newBuilder().setUserId(viewer.getUserId()).addRoles("viewer")
                .addRoles("operator").build());
        assertThat(isActive(pair.getAccessToken())).isTrue();
    }

    @Test
    void removingARoleKeepsTheTokensWhenTheSettingIsOff() {
        admin.updateSettings(UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                .setRevokeTokensOnRoleRemoval(false)).setUpdateMask(mask("revoke_tokens_on_role_removal")).build());
        User operator = createUser("ops@example.com", "operator");
        TokenPair pair = fx.login("ops@example.com");
        admin.setUserRoles(SetUserRolesRequest.newBuilder().setUserId(operator.getUserId()).build());
        assertThat(isActive(pair.getAccessToken())).isTrue();
        assertThat(audit("user.set_roles", operator.getUserId()).get(0).getDetailsJson())
                .contains("\"tokens_revoked\":false");
    }

    @Test
    void setUserRolesRefusesUnknownRolesAndUnknownUsers() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        assertFails(Status.Code.INVALID_ARGUMENT, "roles", () -> admin.setUserRoles(SetUserRolesRequest.newBuilder()
                .setUserId(aliceId).addRoles("root").build()));
        assertFails(Status.Code.NOT_FOUND, null, () -> admin.setUserRoles(SetUserRolesRequest.newBuilder()
                .setUserId("usr_nobody").addRoles("viewer").build()));
    }

    @Test
    void disablingAUserRevokesTheirTokensAndBlocksLoginAndRefreshUntilEnabled() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        User disabled = admin.disableUser(DisableUserRequest.newBuilder().setUserId(aliceId).setReason("left").build());
        assertThat(disabled.getDisabled()).isTrue();
        assertThat(isActive(pair.getAccessToken())).isFalse();
        assertThat(refreshCode(pair)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertFails(Status.Code.UNAUTHENTICATED, null, () -> fx.login(AuthorityFixture.ALICE));
        assertThat(audit("user.disable", aliceId).get(0).getDetailsJson())
                .contains("\"disabled_before\":false", "\"disabled_after\":true");

        fx.clock.advance(Duration.ofSeconds(1));
        assertThat(admin.enableUser(EnableUserRequest.newBuilder().setUserId(aliceId).build()).getDisabled()).isFalse();
        assertThat(isActive(fx.login(AuthorityFixture.ALICE).getAccessToken())).isTrue();
        assertThat(isActive(pair.getRefreshToken())).isFalse();
        assertThat(audit("user.enable", aliceId)).hasSize(1);
    }

    @Test
    void deleteUserRevokesEverythingThenRemovesTheUserButKeepsTheAudit() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        TokenPair phone = fx.login(AuthorityFixture.ALICE);
        TokenPair other = loginTo(AuthorityFixture.OTHER_PUBLIC_CLIENT, AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);

        long sequence = admin.deleteUser(DeleteUserRequest.newBuilder().setUserId(aliceId).setReason("GDPR erasure")
                .build()).getFeedSequence();
        assertThat(sequence).isPositive();
        assertThat(isActive(phone.getAccessToken())).isFalse();
        assertThat(isActive(other.getRefreshToken())).isFalse();
        assertThat(isActive(bob.getAccessToken())).isTrue();
        assertFails(Status.Code.NOT_FOUND, null,
                () -> admin.getUser(GetUserRequest.newBuilder().setUserId(aliceId).build()));
        assertThat(admin.listTokens(ListTokensRequest.newBuilder().setUserId(aliceId).build()).getTotalSize()).isZero();
        assertThat(admin.listGrants(ListGrantsRequest.newBuilder().setUserId(aliceId).build()).getGrantsList()).isEmpty();
        assertThat(audit("user.delete", aliceId).get(0).getDetailsJson())
                .contains("\"deleted_sessions\":2", "\"deleted_grants\":2", "\"feed_sequence\":" + sequence);
        assertThat(audit("session.login", phone.getSessionId())).hasSize(1);
        assertFails(Status.Code.NOT_FOUND, null,
                () -> admin.deleteUser(DeleteUserRequest.newBuilder().setUserId(aliceId).build()));
    }

    @Test
    void anAdminCannotDeleteOrDisableThemselvesNorRemoveTheirOwnAdminRole() {
        assertFails(Status.Code.FAILED_PRECONDITION, null,
                () -> admin.deleteUser(DeleteUserRequest.newBuilder().setUserId(adminId).build()));
        assertFails(Status.Code.FAILED_PRECONDITION, null,
                () -> admin.disableUser(DisableUserRequest.newBuilder().setUserId(adminId).build()));
        assertFails(Status.Code.FAILED_PRECONDITION, null, () -> admin.setUserRoles(SetUserRolesRequest.newBuilder()
                .setUserId(adminId).addRoles("viewer").build()));
        // Adding a role to oneself is fine.
        assertThat(admin.setUserRoles(SetUserRolesRequest.newBuilder().setUserId(adminId).addRoles("admin")
                .addRoles("viewer").build()).getRolesList()).containsExactly("admin", "viewer");
        assertThat(admin.getUser(GetUserRequest.newBuilder().setUserId(adminId).build()).getDisabled()).isFalse();
    }

    @Test
    void userChangesOfAnUnknownUserAreNotFound() {
        assertFails(Status.Code.NOT_FOUND, null,
                () -> admin.disableUser(DisableUserRequest.newBuilder().setUserId("usr_nobody").build()));
        assertFails(Status.Code.NOT_FOUND, null,
                () -> admin.enableUser(EnableUserRequest.newBuilder().setUserId("usr_nobody").build()));
        assertFails(Status.Code.NOT_FOUND, null,
                () -> admin.deleteUser(DeleteUserRequest.newBuilder().setUserId("usr_nobody").build()));
    }

    // ---- clients ----

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

    // ---- grants ----

    @Test
    void listGrantsFiltersByUserAndClientAndPages() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        fx.login(AuthorityFixture.ALICE);
        loginTo(AuthorityFixture.OTHER_PUBLIC_CLIENT, AuthorityFixture.ALICE);
        fx.login(AuthorityFixture.BOB);
        fx.loginAdmin();

        List<Grant> all = allPages(token -> admin.listGrants(ListGrantsRequest.newBuilder().setPageSize(1)
                .setPageToken(token).build()), ListGrantsResponse::getGrantsList, ListGrantsResponse::getNextPageToken, 1);
        // Ids are random; the order is the database's collation, so only completeness is checked here.
        assertThat(all).hasSize(4).extracting(Grant::getGrantId).doesNotHaveDuplicates();
        List<Grant> alices = admin.listGrants(ListGrantsRequest.newBuilder().setUserId(aliceId).build()).getGrantsList();
        assertThat(alices).extracting(Grant::getClientId)
                .containsExactlyInAnyOrder(DemoData.APP_CLIENT, AuthorityFixture.OTHER_PUBLIC_CLIENT);
        assertThat(alices).extracting(Grant::getUserEmail).containsOnly(AuthorityFixture.ALICE);
        assertThat(admin.listGrants(ListGrantsRequest.newBuilder().setUserId(aliceId)
                .setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT).build()).getGrants(0).getScopesList())
                .containsExactly("read");
        ListGrantsResponse firstOfAll = admin.listGrants(ListGrantsRequest.newBuilder().setPageSize(1).build());
        assertFails(Status.Code.INVALID_ARGUMENT, "page_token", () -> admin.listGrants(ListGrantsRequest.newBuilder()
                .setUserId(aliceId).setPageToken(firstOfAll.getNextPageToken()).build()));
    }

    @Test
    void revokeGrantEndsTheSessionsOfThatUserOnThatClientOnlyAndDeletesTheGrant() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        TokenPair phone = fx.login(AuthorityFixture.ALICE);
        TokenPair laptop = fx.login(AuthorityFixture.ALICE);
        TokenPair otherApp = loginTo(AuthorityFixture.OTHER_PUBLIC_CLIENT, AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        Grant grant = admin.listGrants(ListGrantsRequest.newBuilder().setUserId(aliceId)
                .setClientId(DemoData.APP_CLIENT).build()).getGrants(0);

        RevocationResult result = admin.revokeGrant(RevokeGrantRequest.newBuilder().setGrantId(grant.getGrantId())
                .setReason("user asked").build());
        assertThat(result.getRevokedSessions()).isEqualTo(2);
        assertThat(result.getFeedSequence()).isPositive();
        assertThat(isActive(phone.getAccessToken())).isFalse();
        assertThat(isActive(laptop.getRefreshToken())).isFalse();
        assertThat(isActive(otherApp.getAccessToken())).isTrue();
        assertThat(isActive(bob.getAccessToken())).isTrue();
        assertThat(admin.listGrants(ListGrantsRequest.newBuilder().setUserId(aliceId).build()).getGrantsList())
                .extracting(Grant::getClientId).containsExactly(AuthorityFixture.OTHER_PUBLIC_CLIENT);
        assertThat(audit("grant.revoke", grant.getGrantId()).get(0).getDetailsJson())
                .contains("\"revoked_sessions\":2", "\"client_id\":\"demo-app\"");

        assertFails(Status.Code.NOT_FOUND, null, () -> admin.revokeGrant(RevokeGrantRequest.newBuilder()
                .setGrantId(grant.getGrantId()).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "grant_id",
                () -> admin.revokeGrant(RevokeGrantRequest.getDefaultInstance()));
    }

    // ---- settings ----

    @Test
    void settingsStartWithTheirDefaults() {
        assertThat(admin.getSettings(GetSettingsRequest.getDefaultInstance())).isEqualTo(Settings.newBuilder()
                .setRefreshTokenRevocationDeletesGrant(false)
                .setRevokeTokensOnRoleRemoval(true)
                .setDefaultAccessTokenTtl(seconds(Duration.ofMinutes(15)))
                .setDefaultRefreshInactivityTtl(seconds(Duration.ofDays(7)))
                .setDefaultSessionMaxTtl(seconds(Duration.ofDays(30)))
                .setDefaultReuseGrace(seconds(Duration.ZERO))
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
        assertFails(Status.Code.INVALID_ARGUMENT, "settings.default_reuse_grace", update.apply(
                UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                        .setDefaultReuseGrace(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000)))
                        .setUpdateMask(mask("default_reuse_grace"))));
        assertThat(admin.getSettings(GetSettingsRequest.getDefaultInstance()).getDefaultAccessTokenTtl())
                .isEqualTo(seconds(Duration.ofMinutes(15)));
    }

    // ---- audit ----

    @Test
    void listAuditEventsIsNewestFirstAndFiltersByActorActionTargetAndTime() {
        java.time.Instant start = fx.clock.instant();
        User first = createUser("first@example.com");
        fx.clock.advance(Duration.ofMinutes(1));
        User second = createUser("second@example.com");
        fx.clock.advance(Duration.ofMinutes(1));
        admin.disableUser(DisableUserRequest.newBuilder().setUserId(second.getUserId()).build());

        List<AuditEvent> byAdmin = admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setActorId(adminId)
                .build()).getEventsList();
        assertThat(byAdmin).extracting(AuditEvent::getId).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(byAdmin.get(0).getAction()).isEqualTo("user.revoke_tokens_on_disable");
        assertThat(byAdmin).extracting(AuditEvent::getActorId).containsOnly(adminId);

        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("user.create").build())
                .getEventsList()).extracting(AuditEvent::getTargetId)
                .containsExactly(second.getUserId(), first.getUserId());
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setTargetId(second.getUserId()).build())
                .getEventsList()).extracting(AuditEvent::getAction)
                .containsExactly("user.revoke_tokens_on_disable", "user.disable", "user.create");
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("user.create")
                .setOccurredAfter(timestamp(start.plusSeconds(30)))
                .setOccurredBefore(timestamp(start.plusSeconds(90))).build()).getEventsList())
                .extracting(AuditEvent::getTargetId).containsExactly(second.getUserId());
    }

    @Test
    void listAuditEventsPagesAndRefusesBadRangesSizesAndForeignTokens() {
        for (int i = 0; i < 5; i++) {
            createUser("audited-" + i + "@example.com");
        }
        List<AuditEvent> all = allPages(token -> admin.listAuditEvents(ListAuditEventsRequest.newBuilder()
                .setAction("user.create").setPageSize(2).setPageToken(token).build()),
                ListAuditEventsResponse::getEventsList, ListAuditEventsResponse::getNextPageToken, 2);
        assertThat(all).hasSize(5).extracting(AuditEvent::getId).doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        String token = admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("user.create")
                .setPageSize(2).build()).getNextPageToken();
        assertFails(Status.Code.INVALID_ARGUMENT, "page_token", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setAction("session.login").setPageToken(token).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "page_size", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setPageSize(501).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "page_size", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setPageSize(-1).build()));
        Timestamp now = timestamp(fx.clock.instant());
        assertFails(Status.Code.INVALID_ARGUMENT, "occurred_after", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setOccurredAfter(now).setOccurredBefore(now).build()));
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(500).build())
                .getEventsCount()).isBetween(5, 500);
    }
}
