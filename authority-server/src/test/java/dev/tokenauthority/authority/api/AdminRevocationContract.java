package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The admin revocations (token, session, user, everything) through real gRPC, on H2 and PostgreSQL. */
abstract class AdminRevocationContract extends AuthApiContractBase {

    @Test
    void forceLogoutKillsEarlierTokensButAFreshLoginRightAfterIsLive() {
        fx.clock.set(fx.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusMillis(100));
        TokenPair old = fx.login(AuthorityFixture.ALICE);
        String admin = fx.loginAdmin().getAccessToken();
        var result = fx.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder()
                .setUserId(fx.user(AuthorityFixture.ALICE).id()).setReason("laptop stolen").build());
        assertThat(result.getFeedSequence()).isPositive();
        assertThat(result.getRevokedSessions()).isEqualTo(1);
        fx.clock.advance(Duration.ofMillis(1));
        TokenPair fresh = fx.login(AuthorityFixture.ALICE);
        // Same second as the watermark: iat alone could not tell these two tokens apart.
        String sameSecond = "\"iat\":" + fx.clock.instant().getEpochSecond();
        assertThat(payload(old.getAccessToken())).contains(sameSecond);
        assertThat(payload(fresh.getAccessToken())).contains(sameSecond);
        assertThat(introspect(old.getAccessToken()).getActive()).isFalse();
        assertThat(introspect(fresh.getAccessToken()).getActive()).isTrue();
    }

    @Test
    void adminRevocationsOfTokenAndSessionAndEverything() {
        String admin = fx.loginAdmin().getAccessToken();
        TokenPair a = fx.login(AuthorityFixture.ALICE);
        TokenPair b = fx.login(AuthorityFixture.BOB);
        String jti = introspect(a.getAccessToken()).getJti();
        long first = fx.admin(admin).revokeToken(RevokeTokenRequest.newBuilder().setTokenId(jti).setReason("r").build())
                .getFeedSequence();
        assertThat(introspect(a.getAccessToken()).getActive()).isFalse();
        assertThat(introspect(a.getRefreshToken()).getActive()).isTrue();
        assertThat(fx.admin(admin).revokeToken(RevokeTokenRequest.newBuilder().setTokenId(jti).build()).getFeedSequence())
                .isZero();
        long second = fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(a.getSessionId())
                .setReason("r").build()).getFeedSequence();
        assertThat(second).isGreaterThan(first);
        assertThat(introspect(a.getRefreshToken()).getActive()).isFalse();
        assertThat(codeOf(() -> fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder()
                .setSessionId("ses_unknown").build()))).isEqualTo(Status.Code.NOT_FOUND);

        assertThat(codeOf(() -> fx.admin(admin).revokeAllSessions(RevokeAllSessionsRequest.newBuilder()
                .setConfirm("revoke all sessions").build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(introspect(b.getAccessToken()).getActive()).isTrue();
        fx.admin(admin).revokeAllSessions(RevokeAllSessionsRequest.newBuilder().setReason("incident")
                .setConfirm("REVOKE ALL SESSIONS").build());
        assertThat(introspect(b.getAccessToken()).getActive()).isFalse();
        assertThat(codeOf(() -> fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder()
                .setSessionId(b.getSessionId()).build()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void adminRevocationsNeedTheirPermission() {
        String viewer = fx.adminTokenOfRole("viewer");
        StatusRuntimeException denied = failure(() -> fx.admin(viewer).revokeUserTokens(
                RevokeUserTokensRequest.newBuilder().setUserId("usr_x").build()));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(denied.getStatus().getDescription()).contains("sessions:write");
        assertThat(codeOf(() -> fx.admin("not-a-jwt").revokeToken(RevokeTokenRequest.newBuilder().setTokenId("x").build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
}
