package dev.tokenauthority.authority.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.FieldMask;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.CreateClientRequest;
import dev.tokenauthority.api.v1.DeleteClientRequest;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.SetUserRolesRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.UpdateClientRequest;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The admin token model over real gRPC, on each database: who may hold the admin audience and
 * scopes, and how a change to a client's registration or a user's roles reaches the sessions that
 * are already open, at their next refresh (see {@link AdminAccess} and RequestedAccess).
 */
abstract class AdminTokenModelContract {

    AuthorityFixture fx;
    AdminServiceGrpc.AdminServiceBlockingStub admin;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.admin(fx.loginAdmin().getAccessToken());
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void everyAuthorityRegistersTheTwoAdminClientsForTheAdminAudienceOnly() {
        for (String clientId : List.of(AdminAccess.CLI_CLIENT, AdminAccess.CONSOLE_CLIENT)) {
            Client client = admin.getClient(dev.tokenauthority.api.v1.GetClientRequest.newBuilder()
                    .setClientId(clientId).build());
            assertThat(client.getConfidential()).isFalse();
            assertThat(client.getAudiencesList()).containsExactly(AdminAccess.AUDIENCE);
            assertThat(client.getScopesList()).containsExactly("admin:read", "admin:write", "admin:users",
                    "admin:clients", "admin:settings", "admin:keys");
        }
        TokenPair defaulted = fx.loginAdmin();
        assertThat(audienceOf(defaulted.getAccessToken())).isEqualTo("\"" + AdminAccess.AUDIENCE + "\"");
    }

    @Test
    void noOtherClientMayHoldTheAdminAudienceOrAnAdminScope() {
        assertInvalid("client.audiences", () -> admin.createClient(CreateClientRequest.newBuilder().setClient(
                Client.newBuilder().setClientId("sneaky").setName("Sneaky").addAudiences(AdminAccess.AUDIENCE)
                        .addScopes("read")).build()));
        assertInvalid("client.scopes", () -> admin.createClient(CreateClientRequest.newBuilder().setClient(
                Client.newBuilder().setClientId("sneaky").setName("Sneaky").addAudiences("demo-api")
                        .addScopes("admin:read")).build()));
        assertInvalid("client.audiences", () -> updateClient(Client.newBuilder()
                .setClientId(AuthorityFixture.BACKEND_CLIENT).addAudiences("demo-api")
                .addAudiences(AdminAccess.AUDIENCE).build(), "audiences"));
        assertInvalid("client.audiences", () -> updateClient(Client.newBuilder()
                .setClientId(AdminAccess.CLI_CLIENT).addAudiences("demo-api").build(), "audiences"));
    }

    @Test
    void issueTokensNeverMintsTheAdminAudienceOrAdminScopes() {
        // A backend registered with the admin audience before the reservation existed.
        fx.authority.transactor().useTransaction(h -> fx.authority.clientRegistration().register(h,
                new ClientRegistration.Spec("legacy-backend", "Legacy", true,
                        List.of("demo-api", AdminAccess.AUDIENCE), List.of("read", "admin:write"),
                        List.of(dev.tokenauthority.authority.client.Client.ISSUE_TOKENS)), fx.clock.instant()));
        String secret = fx.authority.transactor().inTransaction(h -> fx.authority.clientRegistration()
                .rotateSecret(h, "legacy-backend", fx.clock.instant()));
        String adminId = fx.user(DemoData.ADMIN_EMAIL).id();
        IssueTokensRequest.Builder request = IssueTokensRequest.newBuilder().setClientId("legacy-backend")
                .setClientSecret(secret).setUserId(adminId);

        assertDenied("IssueTokens", () -> fx.auth().issueTokens(request.clone().setAudience(AdminAccess.AUDIENCE)
                .addScopes("admin:write").build()));
        assertDenied("IssueTokens", () -> fx.auth().issueTokens(request.clone().setAudience("demo-api")
                .addScopes("admin:write").build()));
        assertDenied("IssueTokens", () -> fx.auth().issueTokens(request.build()));
        TokenPair app = fx.auth().issueTokens(request.clone().setAudience("demo-api").addScopes("read").build());
        assertThat(app.getScopesList()).containsExactly("read");
    }

    @Test
    void narrowingAClientsScopesNarrowsTheNextRefreshOfASessionAlreadyOpen() {
        TokenPair before = fx.login(AuthorityFixture.ALICE);
        assertThat(before.getScopesList()).containsExactly("read", "write");

        updateClient(Client.newBuilder().setClientId(DemoData.APP_CLIENT).addScopes("read").build(), "scopes");
        TokenPair after = refresh(DemoData.APP_CLIENT, before);

        assertThat(after.getScopesList()).containsExactly("read");
        assertThat(scopeOf(after.getAccessToken())).isEqualTo("\"read\"");
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("session.narrow")
                .setTargetId(before.getSessionId()).build()).getEventsList()).hasSize(1);
        // Stored: the next refresh carries the narrowed session without narrowing again.
        assertThat(refresh(DemoData.APP_CLIENT, after).getScopesList()).containsExactly("read");
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("session.narrow")
                .build()).getEventsList()).hasSize(1);
    }

    @Test
    void aSessionWhoseAudienceTheClientNoLongerServesCannotRefresh() {
        TokenPair before = fx.login(AuthorityFixture.ALICE);
        updateClient(Client.newBuilder().setClientId(DemoData.APP_CLIENT).addAudiences("other-api").build(),
                "audiences");
        assertUnauthenticated(() -> refresh(DemoData.APP_CLIENT, before));
        // Refused, not rotated: restoring the audience revives the session.
        updateClient(Client.newBuilder().setClientId(DemoData.APP_CLIENT).addAudiences("demo-api").build(),
                "audiences");
        assertThat(refresh(DemoData.APP_CLIENT, before).getSessionId()).isEqualTo(before.getSessionId());
    }

    @Test
    void aDisabledClientsSessionsCannotRefresh() {
        TokenPair before = fx.login(AuthorityFixture.ALICE);
        updateClient(Client.newBuilder().setClientId(DemoData.APP_CLIENT).setDisabled(true).build(), "disabled");
        assertUnauthenticated(() -> refresh(DemoData.APP_CLIENT, before));
    }

    @Test
    void aRetryWithinTheReuseGraceIsNarrowedToo() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(30));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        refresh(DemoData.APP_CLIENT, first);
        updateClient(Client.newBuilder().setClientId(DemoData.APP_CLIENT).addScopes("write").build(), "scopes");
        TokenPair retried = refresh(DemoData.APP_CLIENT, first);
        assertThat(retried.getScopesList()).containsExactly("write");
        assertThat(scopeOf(retried.getAccessToken())).isEqualTo("\"write\"");
    }

    @Test
    void losingARoleNarrowsTheAdminTokenAtItsNextRefreshWhenTokensAreKept() {
        admin.updateSettings(UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                .setRevokeTokensOnRoleRemoval(false)).setUpdateMask(mask("revoke_tokens_on_role_removal")).build());
        String userId = fx.createUser("ops@example.com", List.of("operator")).id();
        TokenPair operator = fx.loginAdmin("ops@example.com");
        assertThat(operator.getScopesList()).containsExactly("admin:read", "admin:write");

        setRoles(userId, "viewer");
        TokenPair viewer = refresh(AdminAccess.CLI_CLIENT, operator);
        assertThat(viewer.getScopesList()).containsExactly("admin:read");
        AdminServiceGrpc.AdminServiceBlockingStub asViewer = fx.admin(viewer.getAccessToken());
        assertThat(asViewer.listTokens(ListTokensRequest.newBuilder().setPageSize(1).build()).getTokensCount())
                .isEqualTo(1);

        setRoles(userId);
        assertUnauthenticated(() -> refresh(AdminAccess.CLI_CLIENT, viewer));
    }

    @Test
    void aConsoleSessionThatLosesItsLastAdminScopeEndsThoughTheConsoleSignsInUsersWithoutOne() {
        admin.updateSettings(UpdateSettingsRequest.newBuilder().setSettings(Settings.newBuilder()
                .setRevokeTokensOnRoleRemoval(false)).setUpdateMask(mask("revoke_tokens_on_role_removal")).build());
        String userId = fx.createUser("demoted@example.com", List.of("viewer")).id();
        TokenPair viewer = fx.loginTo(AdminAccess.CONSOLE_CLIENT, "demoted@example.com");
        assertThat(viewer.getScopesList()).containsExactly("admin:read");

        setRoles(userId);
        // An admin session left with no admin scope ends, as on admin-cli; signing in again opens a
        // console session for the user's own sessions only.
        assertUnauthenticated(() -> refresh(AdminAccess.CONSOLE_CLIENT, viewer));
        assertThat(fx.loginTo(AdminAccess.CONSOLE_CLIENT, "demoted@example.com").getScopesList()).isEmpty();
    }

    @Test
    void disablingAnAdminClientClosesTheAdminApiToItsTokensAtOnce() {
        TokenPair console = fx.auth().login(LoginRequest.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT)
                .setUsername(DemoData.ADMIN_EMAIL).setPassword(DemoData.ADMIN_PASSWORD).build());
        AdminServiceGrpc.AdminServiceBlockingStub viaConsole = fx.admin(console.getAccessToken());
        viaConsole.updateClient(UpdateClientRequest.newBuilder().setClient(Client.newBuilder()
                .setClientId(AdminAccess.CLI_CLIENT).setDisabled(true)).setUpdateMask(mask("disabled"))
                .setReason("test").build());
        assertDenied(AdminAccess.CLI_CLIENT, () -> admin.listTokens(ListTokensRequest.getDefaultInstance()));
        assertThat(viaConsole.listTokens(ListTokensRequest.newBuilder().setPageSize(1).build()).getTokensCount())
                .isEqualTo(1);
    }

    @Test
    void aTokenForTheAdminAudienceAndAnotherOpensNothingHere() {
        // The console's client as an upgrade can leave it: registered before the reservation, an
        // administrator had given it an application's audience too, which V11 does not touch.
        fx.db.jdbi().useTransaction(h -> h.createUpdate(
                "UPDATE clients SET audiences = :audiences WHERE client_id = :clientId")
                .bind("audiences", AdminAccess.AUDIENCE + " demo-api")
                .bind("clientId", AdminAccess.CONSOLE_CLIENT).execute());
        TokenPair both = fx.auth().login(LoginRequest.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT)
                .setUsername(DemoData.ADMIN_EMAIL).setPassword(DemoData.ADMIN_PASSWORD).build());
        assertThat(audienceOf(both.getAccessToken())).isEqualTo("[\"" + AdminAccess.AUDIENCE + "\",\"demo-api\"]");

        // demo-api accepts it; the admin API must not, or one token opens both.
        assertDenied("audience", () -> fx.admin(both.getAccessToken())
                .listTokens(ListTokensRequest.newBuilder().setPageSize(1).build()));
    }

    @Test
    void theLastAdminClientThatCarriesEveryAdminScopeCannotBeDisabledNarrowedOrDeleted() {
        updateClient(Client.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT).setDisabled(true).build(),
                "disabled");
        // Either change would leave no client that can issue admin:clients, the scope that undoes it,
        // and a restart registers only missing clients: the authority could never be administered again.
        assertFailedPrecondition(AdminAccess.CLI_CLIENT, () -> updateClient(Client.newBuilder()
                .setClientId(AdminAccess.CLI_CLIENT).setDisabled(true).build(), "disabled"));
        assertFailedPrecondition(AdminAccess.CLI_CLIENT, () -> updateClient(Client.newBuilder()
                .setClientId(AdminAccess.CLI_CLIENT).addScopes("admin:read").build(), "scopes"));
        assertFailedPrecondition(AdminAccess.CLI_CLIENT, () -> admin.deleteClient(DeleteClientRequest.newBuilder()
                .setClientId(AdminAccess.CLI_CLIENT).setReason("test").build()));

        updateClient(Client.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT).setDisabled(false).build(),
                "disabled");
        updateClient(Client.newBuilder().setClientId(AdminAccess.CLI_CLIENT).addScopes("admin:read").build(),
                "scopes");
        assertThat(fx.loginAdmin().getScopesList()).containsExactly("admin:read");
    }

    @Test
    void anApplicationScopeThatOnlyLooksAdministrativeStillWorksAndOpensNothingHere() {
        admin.createClient(CreateClientRequest.newBuilder().setClient(Client.newBuilder().setClientId("billing")
                .setName("Billing").addAudiences("billing-api").addScopes("admin:billing").addScopes("admin")).build());
        TokenPair login = fx.auth().login(LoginRequest.newBuilder().setClientId("billing")
                .setUsername(AuthorityFixture.ALICE).setPassword(DemoData.USER_PASSWORD).build());
        assertThat(login.getScopesList()).containsExactly("admin:billing", "admin");
        assertThat(refresh("billing", login).getScopesList()).containsExactly("admin:billing", "admin");

        TokenPair ofAnAdmin = fx.auth().login(LoginRequest.newBuilder().setClientId("billing")
                .setUsername(DemoData.ADMIN_EMAIL).setPassword(DemoData.ADMIN_PASSWORD).build());
        assertDenied("audience", () -> fx.admin(ofAnAdmin.getAccessToken())
                .listTokens(ListTokensRequest.newBuilder().setPageSize(1).build()));
    }

    private TokenPair refresh(String clientId, TokenPair pair) {
        return fx.auth().refresh(RefreshRequest.newBuilder().setClientId(clientId)
                .setRefreshToken(pair.getRefreshToken()).build());
    }

    private void updateClient(Client client, String field) {
        admin.updateClient(UpdateClientRequest.newBuilder().setClient(client).setUpdateMask(mask(field))
                .setReason("test").build());
    }

    private void setRoles(String userId, String... roles) {
        admin.setUserRoles(SetUserRolesRequest.newBuilder().setUserId(userId).addAllRoles(List.of(roles))
                .setReason("test").build());
    }

    private static FieldMask mask(String path) {
        return FieldMask.newBuilder().addPaths(path).build();
    }

    /** A claim of the JWT's payload as raw JSON text. */
    private static String claim(String jwt, String name) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        int start = payload.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = payload.charAt(start) == '[' ? payload.indexOf(']', start) + 1 : payload.indexOf(',', start);
        return payload.substring(start, end);
    }

    private static String scopeOf(String jwt) {
        return claim(jwt, "scope");
    }

    private static String audienceOf(String jwt) {
        return claim(jwt, "aud");
    }

    private static void assertInvalid(String field, Executable call) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith(field);
        });
    }

    private static void assertDenied(String mentioning, Executable call) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).contains(mentioning);
        });
    }

    private static void assertFailedPrecondition(String mentioning, Executable call) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains(mentioning);
        });
    }

    private static void assertUnauthenticated(Executable call) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }
}
