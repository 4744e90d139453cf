package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.Jwks;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.LogoutRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.grant.GrantStore;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import dev.tokenauthority.authority.settings.SettingsStore;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Login, logout, RFC 7009, RFC 7662, trusted issuance, keys and admin revocations, on H2 and PostgreSQL. */
abstract class AuthApiContract {

    AuthorityFixture fx;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }


    IntrospectResponse introspect(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build());
    }

    RevokeRequest.Builder revokeByApp(String token) {
        return RevokeRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setToken(token);
    }

    static String header(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
    }

    static String payload(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

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

    @Test
    void rfc7009AnswersOkForUnknownTokensAndIgnoresAWrongHint() {
        fx.auth().revoke(revokeByApp("ta_rt_AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").build());
        fx.auth().revoke(revokeByApp("not-a-token-at-all").build());
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.auth().revoke(revokeByApp(pair.getAccessToken()).setTokenTypeHint("refresh_token").build());
        assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
        assertThat(introspect(pair.getRefreshToken()).getActive()).isTrue();
        fx.auth().revoke(revokeByApp(pair.getAccessToken()).build());
    }

    @Test
    void rfc7009RevokingARefreshTokenEndsItsSessionButKeepsTheGrantByDefault() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.auth().revoke(revokeByApp(pair.getRefreshToken()).setTokenTypeHint("access_token").build());
        assertThat(introspect(pair.getRefreshToken()).getActive()).isFalse();
        assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
        assertThat(grantOfAliceToTheApp()).isPresent();
    }

    @Test
    void rfc7009WithRevocationDeletesGrantOnEndsEverySessionOfTheGrant() {
        fx.authority.transactor().useTransaction(h -> h.store(SettingsStore.class)
                .put(AuthoritySettings.REFRESH_REVOCATION_DELETES_GRANT, "true", fx.clock.instant()));
        TokenPair phone = fx.login(AuthorityFixture.ALICE);
        TokenPair laptop = fx.login(AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        fx.auth().revoke(revokeByApp(phone.getRefreshToken()).build());
        assertThat(introspect(laptop.getRefreshToken()).getActive()).isFalse();
        assertThat(introspect(bob.getRefreshToken()).getActive()).isTrue();
        assertThat(grantOfAliceToTheApp()).isEmpty();
    }

    java.util.Optional<dev.tokenauthority.authority.grant.Grant> grantOfAliceToTheApp() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        return fx.authority.transactor().read(h -> h.store(GrantStore.class).find(aliceId, DemoData.APP_CLIENT));
    }

    @Test
    void rfc7009ClientsMayRevokeOnlyTheirOwnTokens() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        RevokeRequest byOther = RevokeRequest.newBuilder().setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT)
                .setToken(pair.getRefreshToken()).build();
        assertThat(codeOf(() -> fx.auth().revoke(byOther))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(introspect(pair.getRefreshToken()).getActive()).isTrue();
    }

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

    @Test
    void aRotatedSigningKeyStaysPublishedUntilItsLastTokenHasExpired() {
        TokenPair before = fx.login(AuthorityFixture.ALICE);
        String admin = fx.loginAdmin().getAccessToken();
        String oldKid = fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getKeys(0).getKid();
        String newKid = fx.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build())
                .getKid();
        assertThat(newKid).isNotEqualTo(oldKid);
        TokenPair after = fx.login(AuthorityFixture.BOB);
        assertThat(header(after.getAccessToken())).contains(newKid);
        assertThat(introspect(before.getAccessToken()).getActive()).isTrue();
        assertThat(fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getKeysList())
                .extracting(k -> k.getKid()).containsExactlyInAnyOrder(oldKid, newKid);

        fx.clock.advance(Duration.ofHours(1).plusMinutes(1));
        assertThat(fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getKeysList())
                .extracting(k -> k.getKid()).containsExactly(newKid);
    }

    @Test
    void rotatingTheSigningKeyNeedsTheKeysWritePermission() {
        String viewer = fx.adminTokenOfRole("viewer");
        StatusRuntimeException denied = failure(() -> fx.keysAs(viewer).rotateSigningKey(
                RotateSigningKeyRequest.getDefaultInstance()));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(denied.getStatus().getDescription()).contains("keys:write");
        assertThat(codeOf(() -> fx.keys().rotateSigningKey(RotateSigningKeyRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

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
