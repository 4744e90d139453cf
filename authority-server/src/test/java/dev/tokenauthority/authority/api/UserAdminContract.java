package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.DeleteUserRequest;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.EnableUserRequest;
import dev.tokenauthority.api.v1.GetUserRequest;
import dev.tokenauthority.api.v1.ListGrantsRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListUsersRequest;
import dev.tokenauthority.api.v1.ListUsersResponse;
import dev.tokenauthority.api.v1.SetUserRolesRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.api.v1.User;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Users: creation, listing, roles, disabling and deletion through real gRPC, on H2 and PostgreSQL. */
abstract class UserAdminContract extends DirectoryAdminContractBase {

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
}
