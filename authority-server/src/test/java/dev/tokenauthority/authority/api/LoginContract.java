package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.Jwks;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.LogoutRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Login and logout through real gRPC: the token issued, failures and throttling, scopes, on H2 and PostgreSQL. */
abstract class LoginContract extends AuthApiContractBase {

    @Test
    void loginIssuesAnRfc9068AccessTokenSignedWithAPublishedKey() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        Jwks jwks = fx.keys().getJwks(GetJwksRequest.getDefaultInstance());
        String kid = jwks.getKeys(0).getKid();
        assertThat(header(pair.getAccessToken())).contains("\"typ\":\"at+jwt\"", "\"alg\":\"EdDSA\"", kid);
        assertThat(payload(pair.getAccessToken())).contains("\"iss\":\"" + AuthorityFixture.ISSUER + "\"",
                "\"aud\":\"demo-api\"", "\"client_id\":\"demo-app\"", "\"scope\":\"read write\"",
                "\"sid\":\"" + pair.getSessionId() + "\"", "\"sub\":\"" + fx.user(AuthorityFixture.ALICE).id() + "\"",
                "\"jti\":\"at_", "\"exp\":", "\"iat\":", "\"iat_us\":");
        assertThat(pair.getRefreshToken()).startsWith("ta_rt_").hasSize(72);
        assertThat(pair.getRefreshTokenId()).startsWith("rt_");
        assertThat(pair.getTokenType()).isEqualTo("Bearer");
        assertThat(pair.getAccessTokenExpiresAt().getSeconds() - fx.clock.instant().getEpochSecond())
                .isBetween(899L, 900L);
        assertThat(jwks.getJwksJson()).contains(kid, "\"crv\":\"Ed25519\"").doesNotContain("\"d\"");
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlikeAndRepeatedFailuresAreThrottled() {
        StatusRuntimeException wrongPassword = loginFailure(AuthorityFixture.ALICE, "not-the-password");
        StatusRuntimeException unknownUser = loginFailure("nobody@example.com", "whatever1");
        assertThat(wrongPassword.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(unknownUser.getStatus().getDescription()).isEqualTo(wrongPassword.getStatus().getDescription());
        for (int i = 0; i < 4; i++) {
            loginFailure(AuthorityFixture.ALICE, "still-wrong");
        }
        assertThat(loginFailure(AuthorityFixture.ALICE, DemoData.USER_PASSWORD).getStatus().getCode())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        fx.clock.advance(Duration.ofMinutes(16));
        assertThat(fx.login(AuthorityFixture.ALICE).getSessionId()).startsWith("ses_");
    }

    private StatusRuntimeException loginFailure(String user, String password) {
        try {
            fx.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername(user)
                    .setPassword(password).build());
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getDescription()).doesNotContain(password);
            return e;
        }
        throw new AssertionError("login succeeded");
    }

    @Test
    void concurrentFirstLoginsOfOneUserAllSucceed() throws Exception {
        // Regression: the grant's check-then-insert raced, and H2 reported the loser as 90131 (not retried).
        // As many as the throttle lets check a password at once: each login reserves an attempt before its hash.
        int logins = dev.tokenauthority.authority.login.LoginLimits.DEFAULT_ACCOUNT_LIMIT;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(logins);
        var results = new java.util.ArrayList<java.util.concurrent.Future<Status.Code>>();
        for (int i = 0; i < logins; i++) {
            results.add(pool.submit(() -> codeOf(() -> fx.login(AuthorityFixture.BOB))));
        }
        for (var result : results) {
            assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Status.Code.OK);
        }
        pool.shutdown();
    }

    @Test
    void loginRefusesScopesAndAudiencesTheClientMayNotRequest() {
        StatusRuntimeException scope = failure(() -> fx.auth().login(LoginRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setUsername(AuthorityFixture.ALICE)
                .setPassword(DemoData.USER_PASSWORD).addScopes("admin").build()));
        assertThat(scope.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(scope.getStatus().getDescription()).startsWith("scopes");
        StatusRuntimeException audience = failure(() -> fx.auth().login(LoginRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setUsername(AuthorityFixture.ALICE)
                .setPassword(DemoData.USER_PASSWORD).setAudience("billing-api").build()));
        assertThat(audience.getStatus().getDescription()).startsWith("audience");
    }

    @Test
    void logoutEndsTheSessionAndItsTokens() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(fx.auth().logout(LogoutRequest.newBuilder().setRefreshToken(pair.getRefreshToken()).build())
                .getSessionId()).isEqualTo(pair.getSessionId());
        assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
}
