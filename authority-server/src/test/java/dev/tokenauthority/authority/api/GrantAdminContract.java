package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.Grant;
import dev.tokenauthority.api.v1.ListGrantsRequest;
import dev.tokenauthority.api.v1.ListGrantsResponse;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeGrantRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Grants: listing and revocation through real gRPC, on H2 and PostgreSQL. */
abstract class GrantAdminContract extends DirectoryAdminContractBase {

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
}
