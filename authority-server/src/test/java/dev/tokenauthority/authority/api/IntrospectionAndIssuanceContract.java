package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The confidential clients' calls through real gRPC: RFC 7662 introspection and trusted issuance, on H2 and
 * PostgreSQL.
 */
abstract class IntrospectionAndIssuanceContract extends AuthApiContractBase {

    @Test
    void rfc7662DescribesLiveTokensAndSaysOnlyInactiveForDeadOnes() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        IntrospectResponse access = introspect(pair.getAccessToken());
        assertThat(access.getActive()).isTrue();
        assertThat(access.getTokenType()).isEqualTo("access_token");
        // The sidecar serves the token's audience but is not its client: no email (IntrospectionScopeContract).
        assertThat(access.getUsername()).isEmpty();
        assertThat(access.getSub()).isEqualTo(fx.user(AuthorityFixture.ALICE).id());
        assertThat(access.getScope()).isEqualTo("read write");
        assertThat(access.getAudList()).containsExactly(DemoData.AUDIENCE);
        assertThat(access.getSid()).isEqualTo(pair.getSessionId());
        IntrospectResponse refresh = introspect(pair.getRefreshToken());
        assertThat(refresh.getTokenType()).isEqualTo("refresh_token");
        assertThat(refresh.getJti()).isEqualTo(pair.getRefreshTokenId());

        assertThat(introspect("garbage")).isEqualTo(IntrospectResponse.newBuilder().setActive(false).build());
        fx.clock.advance(Duration.ofHours(1));
        assertThat(introspect(pair.getAccessToken())).isEqualTo(IntrospectResponse.newBuilder().setActive(false).build());
    }

    @Test
    void rfc7662IsForAuthenticatedConfidentialClientsOnly() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(codeOf(() -> fx.auth().introspect(IntrospectRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setToken(pair.getAccessToken()).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> fx.auth().introspect(IntrospectRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret("ta_cs_wrong").setToken(pair.getAccessToken())
                .build()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void issueTokensIsForConfidentialClientsHoldingTheIssuePermission() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        TokenPair pair = fx.auth().issueTokens(IssueTokensRequest.newBuilder().setClientId(AuthorityFixture.BACKEND_CLIENT)
                .setClientSecret(fx.backendSecret).setUserId(aliceId).addScopes("read").build());
        assertThat(introspect(pair.getAccessToken()).getClientId()).isEqualTo(AuthorityFixture.BACKEND_CLIENT);
        assertThat(introspect(pair.getAccessToken()).getScope()).isEqualTo("read");
        assertThat(codeOf(() -> fx.auth().issueTokens(IssueTokensRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret).setUserId(aliceId).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> fx.auth().issueTokens(IssueTokensRequest.newBuilder()
                .setClientId(AuthorityFixture.BACKEND_CLIENT).setClientSecret(fx.backendSecret).setUserId("usr_nobody")
                .build()))).isEqualTo(Status.Code.NOT_FOUND);
    }
}
