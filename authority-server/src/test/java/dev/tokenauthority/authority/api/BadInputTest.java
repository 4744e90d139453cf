package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.Device;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.LogoutRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of bad inputs: each gets a clear status, INVALID_ARGUMENT naming the field, and no secret echoed. */
class BadInputTest {

    static AuthorityFixture fx;
    static final String LONG = "x".repeat(5000);
    static final String SECRET_LOOKING = "hunter2-secret-value";

    @BeforeAll
    static void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    static LoginRequest.Builder login() {
        return LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername(AuthorityFixture.ALICE)
                .setPassword(DemoData.USER_PASSWORD);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("login without client_id", Status.Code.INVALID_ARGUMENT, "client_id",
                        a -> a.auth().login(login().clearClientId().build())),
                bad("login without username", Status.Code.INVALID_ARGUMENT, "username",
                        a -> a.auth().login(login().clearUsername().build())),
                bad("login without password", Status.Code.INVALID_ARGUMENT, "password",
                        a -> a.auth().login(login().clearPassword().build())),
                bad("login with a 5000-character username", Status.Code.INVALID_ARGUMENT, "username",
                        a -> a.auth().login(login().setUsername(LONG).build())),
                bad("login with a control character in the username", Status.Code.INVALID_ARGUMENT, "username",
                        a -> a.auth().login(login().setUsername("alice\u0000@example.com").build())),
                bad("login with an empty scope", Status.Code.INVALID_ARGUMENT, "scopes",
                        a -> a.auth().login(login().addScopes("").build())),
                bad("login with 100 scopes", Status.Code.INVALID_ARGUMENT, "scopes",
                        a -> a.auth().login(login().addAllScopes(java.util.Collections.nCopies(100, "read")).build())),
                bad("login with a huge user agent", Status.Code.INVALID_ARGUMENT, "device.user_agent",
                        a -> a.auth().login(login().setDevice(Device.newBuilder().setUserAgent(LONG)).build())),
                bad("login with an unknown client", Status.Code.UNAUTHENTICATED, null,
                        a -> a.auth().login(login().setClientId("no-such-client").build())),
                bad("login to a public client with a secret", Status.Code.UNAUTHENTICATED, null,
                        a -> a.auth().login(login().setClientSecret(SECRET_LOOKING).build())),
                bad("login with a wrong password", Status.Code.UNAUTHENTICATED, null,
                        a -> a.auth().login(login().setPassword(SECRET_LOOKING).build())),
                bad("refresh without refresh_token", Status.Code.INVALID_ARGUMENT, "refresh_token",
                        a -> a.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT).build())),
                bad("refresh with a token not of our shape", Status.Code.INVALID_ARGUMENT, "refresh_token",
                        a -> a.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                                .setRefreshToken(SECRET_LOOKING).build())),
                bad("refresh with an unknown token of our shape", Status.Code.UNAUTHENTICATED, null,
                        a -> a.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                                .setRefreshToken("ta_rt_" + "A".repeat(22) + "." + "B".repeat(43)).build())),
                bad("logout with a token not of our shape", Status.Code.INVALID_ARGUMENT, "refresh_token",
                        a -> a.auth().logout(LogoutRequest.newBuilder().setRefreshToken("abc").build())),
                bad("revoke without token", Status.Code.INVALID_ARGUMENT, "token",
                        a -> a.auth().revoke(RevokeRequest.newBuilder().setClientId(DemoData.APP_CLIENT).build())),
                bad("revoke with an oversized hint", Status.Code.INVALID_ARGUMENT, "token_type_hint",
                        a -> a.auth().revoke(RevokeRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                                .setToken("t").setTokenTypeHint(LONG).build())),
                bad("issue tokens without a secret", Status.Code.INVALID_ARGUMENT, "client_secret",
                        a -> a.auth().issueTokens(IssueTokensRequest.newBuilder()
                                .setClientId(AuthorityFixture.BACKEND_CLIENT).setUserId("usr_x").build())),
                bad("issue tokens without a user", Status.Code.INVALID_ARGUMENT, "user_id",
                        a -> a.auth().issueTokens(IssueTokensRequest.newBuilder()
                                .setClientId(AuthorityFixture.BACKEND_CLIENT).setClientSecret(SECRET_LOOKING).build())),
                bad("admin call without a bearer token", Status.Code.UNAUTHENTICATED, null,
                        a -> dev.tokenauthority.api.v1.AdminServiceGrpc.newBlockingStub(
                                a.auth().getChannel()).revokeToken(RevokeTokenRequest.newBuilder().setTokenId("x").build())),
                bad("admin call with a reason over 1024 characters", Status.Code.INVALID_ARGUMENT, "reason",
                        a -> a.admin(a.loginAdmin().getAccessToken()).revokeToken(RevokeTokenRequest.newBuilder()
                                .setTokenId("at_x").setReason(LONG).build())),
                bad("admin revocation of an unknown token id", Status.Code.NOT_FOUND, null,
                        a -> a.admin(a.loginAdmin().getAccessToken()).revokeToken(RevokeTokenRequest.newBuilder()
                                .setTokenId("at_unknown").build())));
    }

    static Arguments bad(String name, Status.Code code, String field, Consumer<AuthorityFixture> call) {
        return Arguments.of(name, code, field, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsAClearStatus(String name, Status.Code code, String field, Consumer<AuthorityFixture> call) {
        try {
            call.accept(fx);
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(name + " " + e.getStatus() + " " + e.getCause()).isEqualTo(code);
            String description = e.getStatus().getDescription();
            assertThat(description).as(name).isNotBlank().doesNotContain(SECRET_LOOKING).doesNotContain("SQL");
            if (field != null) {
                assertThat(description).as(name).startsWith(field + ":");
            }
            return;
        }
        throw new AssertionError(name + ": call succeeded");
    }
}
