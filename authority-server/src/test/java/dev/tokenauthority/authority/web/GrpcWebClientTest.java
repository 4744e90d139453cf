package dev.tokenauthority.authority.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.ListSessionsResponse;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.api.BrowserCall;
import dev.tokenauthority.authority.api.RefreshCookie;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.server.TestCertificateAuthority;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.NodeTests;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web port through a real gRPC-web client: Connect's gRPC-web transport in Node (console/test/*.test.mjs) against
 * this JVM's authority on a real port, over TLS where the refresh cookie is Secure (Node trusts the test CA through
 * NODE_EXTRA_CA_CERTS), and over plain HTTP on localhost as the dev listener with insecure cookies.
 */
class GrpcWebClientTest {

    private static final String ALLOWED_ORIGIN = "http://app.allowed.test:5173";

    @TempDir
    Path dir;

    private AuthorityFixture fx;
    private WebListener web;

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.stop();
        }
        fx.close();
    }

    @Test
    void connectGrpcWebClientInNode() throws Exception {
        NodeTests.run("grpc-web.test.mjs", overTls(), Duration.ofMinutes(2));

        // The web port's calls reach audit and sessions with the browser's address, as the gRPC port's do.
        ListSessionsResponse sessions = fx.admin(fx.loginAdmin().getAccessToken())
                .listSessions(ListSessionsRequest.newBuilder().setQuery(AuthorityFixture.ALICE).setPageSize(100).build());
        assertThat(sessions.getSessionsList()).isNotEmpty()
                .allSatisfy(session -> assertThat(session.getIp()).isEqualTo("127.0.0.1"));
    }

    @Test
    void aSecureListenersRefreshCookieIsHostPrefixedAndTwoCookiesOrAPlainOneAreNeverUsed() throws Exception {
        Map<String, String> env = new HashMap<>(overTls());
        env.put("TA_SECURE", "1");
        NodeTests.run("refresh-cookie.test.mjs", env, Duration.ofMinutes(2));
    }

    @Test
    void theLocalhostDevListenersRefreshCookieIsPlainAndTwoCookiesAreNeverUsed() throws Exception {
        web = WebListener.start(new WebOptions(0, Set.of(ALLOWED_ORIGIN), true, null, null, null),
                fx.authority.webServices(),
                fx.authority.metrics().rpcs());
        Map<String, String> env = new HashMap<>(nodeEnvironment("http://127.0.0.1:" + web.port()));
        env.put("TA_SECURE", "0");
        NodeTests.run("refresh-cookie.test.mjs", env, Duration.ofMinutes(2));
    }

    /** Starts the listener on TLS with a test CA's certificate for 127.0.0.1; the environment for Node to reach it. */
    private Map<String, String> overTls() {
        TestCertificateAuthority ca = TestCertificateAuthority.create("Token Authority gRPC-web Test CA");
        Path caCertificate = ca.writeCertificate(dir.resolve("ca.crt"));
        TestCertificateAuthority.PemFiles server = ca.issueServer(dir, "server");
        web = WebListener.start(new WebOptions(0, Set.of(ALLOWED_ORIGIN), false, server.certificate(),
                server.privateKey(), null), fx.authority.webServices(),
                fx.authority.metrics().rpcs());
        Map<String, String> env = new HashMap<>(nodeEnvironment("https://127.0.0.1:" + web.port()));
        env.put("NODE_EXTRA_CA_CERTS", caCertificate.toString());
        return env;
    }

    private static Map<String, String> nodeEnvironment(String webUrl) {
        return Map.of(
                "TA_WEB_URL", webUrl,
                "TA_ALLOWED_ORIGIN", ALLOWED_ORIGIN,
                "TA_CLIENT_ID", DemoData.APP_CLIENT,
                "TA_USERNAME", AuthorityFixture.ALICE,
                "TA_PASSWORD", DemoData.USER_PASSWORD,
                "TA_ADMIN_USERNAME", DemoData.ADMIN_EMAIL,
                "TA_ADMIN_PASSWORD", DemoData.ADMIN_PASSWORD);
    }

    @Test
    void cookieModeIsRefusedOnTheGrpcPort() {
        assertThatThrownBy(() -> fx.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setUsername(AuthorityFixture.ALICE).setPassword(DemoData.USER_PASSWORD).setCookieMode(true).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("gRPC-web listener");
                });
    }

    @Test
    void allowedOriginsMustBeExactOrigins() {
        for (String bad : List.of("*", "https://*.example.com", "https://app.example.com/path", "app.example.com",
                "ftp://app.example.com")) {
            assertThatThrownBy(() -> new WebOptions(0, Set.of(bad), false, null, null, null))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--web-allowed-origin");
        }
        assertThat(new WebOptions(0, Set.of("https://app.example.com:8443"), false, null, null, null).allowedOrigins())
                .containsExactly("https://app.example.com:8443");
    }

    /**
     * The refresh cookie is one per browser, sent (SameSite=Strict) with credentialed calls from
     * any same-site page, and an allowed origin is an application's: the admin console's cookie must
     * not hand that application an admin token.
     */
    @Test
    void anAllowedApplicationOriginCannotRefreshTheConsolesCookieIntoAnAdminToken() {
        web = WebListener.start(new WebOptions(0, Set.of(ALLOWED_ORIGIN), true, null, null, null),
                fx.authority.webServices(),
                fx.authority.metrics().rpcs());
        TokenPair console = consoleLogin();
        assertDenied(() -> browser(ALLOWED_ORIGIN, console.getRefreshToken()).refresh(consoleRefresh()));
        assertDenied(() -> browser(ALLOWED_ORIGIN, null).login(LoginRequest.newBuilder()
                .setClientId(AdminAccess.CONSOLE_CLIENT).setUsername(DemoData.ADMIN_EMAIL)
                .setPassword(DemoData.ADMIN_PASSWORD).setCookieMode(true).build()));

        // The console itself, on the web port's own origin, keeps its cookie mode.
        TokenPair refreshed = browser(ownOrigin(), console.getRefreshToken()).refresh(consoleRefresh());
        assertThat(fx.admin(refreshed.getAccessToken()).listTokens(ListTokensRequest.newBuilder().setPageSize(1)
                .build()).getTokensCount()).isEqualTo(1);
        // And the application keeps its own.
        assertThat(browser(ALLOWED_ORIGIN, null).login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setUsername(AuthorityFixture.ALICE).setPassword(DemoData.USER_PASSWORD).setCookieMode(true).build())
                .getAccessToken()).isNotEmpty();
    }

    @Test
    void behindAReverseProxyTheAdminClientsCookieModeBelongsToTheConfiguredConsoleOrigin() {
        String proxiedConsole = "https://console.example.test";
        web = WebListener.start(new WebOptions(0, Set.of(ALLOWED_ORIGIN), true, null, null, null, proxiedConsole,
                Set.of()), fx.authority.webServices(),
                fx.authority.metrics().rpcs());
        LoginRequest consoleCookieLogin = LoginRequest.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT)
                .setUsername(DemoData.ADMIN_EMAIL).setPassword(DemoData.ADMIN_PASSWORD).setCookieMode(true).build();

        assertThat(browser(proxiedConsole, null).login(consoleCookieLogin).getAccessToken()).isNotEmpty();
        assertDenied(() -> browser(ownOrigin(), null).login(consoleCookieLogin));
        assertDenied(() -> browser(ALLOWED_ORIGIN, null).login(consoleCookieLogin));
        assertThatThrownBy(() -> new WebOptions(0, Set.of(), false, null, null, null, "https://*.example.test",
                Set.of())).hasMessageContaining("--web-console-origin");
    }

    /**
     * The caller's address, which the login throttle and the audit trail key on: behind a trusted
     * reverse proxy, the one its X-Forwarded-For names; from anyone else, the TCP peer, whatever
     * such a header says (a caller could name any address to escape its throttle).
     */
    @Test
    void theCallersAddressComesFromForwardingHeadersOnlyThroughATrustedProxy() {
        LoginRequest login = LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setUsername(AuthorityFixture.ALICE).setPassword(DemoData.USER_PASSWORD).build();
        web = WebListener.start(new WebOptions(0, Set.of(), true, null, null, null, null, Set.of("127.0.0.0/8")),
                fx.authority.webServices(),
                fx.authority.metrics().rpcs());
        String proxied = forwardedFor("203.0.113.7").login(login).getSessionId();
        web.stop();
        web = WebListener.start(new WebOptions(0, Set.of(), true, null, null, null, null, Set.of("10.0.0.0/8")),
                fx.authority.webServices(),
                fx.authority.metrics().rpcs());
        String direct = forwardedFor("203.0.113.8").login(login).getSessionId();

        assertThat(sessionIp(proxied)).isEqualTo("203.0.113.7");
        assertThat(sessionIp(direct)).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> new WebOptions(0, Set.of(), false, null, null, null, null, Set.of("10.0.0.1")))
                .hasMessageContaining("--web-trusted-proxy");
    }

    private AuthServiceGrpc.AuthServiceBlockingStub forwardedFor(String address) {
        return GrpcClients.builder(ownOrigin()).serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                .setHeader(HttpHeaderNames.X_FORWARDED_FOR, address)
                .build(AuthServiceGrpc.AuthServiceBlockingStub.class);
    }

    private String sessionIp(String sessionId) {
        return fx.admin(fx.loginAdmin().getAccessToken()).listSessions(ListSessionsRequest.newBuilder()
                .setQuery(AuthorityFixture.ALICE).setPageSize(100).build()).getSessionsList().stream()
                .filter(session -> session.getSessionId().equals(sessionId)).findFirst().orElseThrow().getIp();
    }

    private TokenPair consoleLogin() {
        return fx.auth().login(LoginRequest.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT)
                .setUsername(DemoData.ADMIN_EMAIL).setPassword(DemoData.ADMIN_PASSWORD).build());
    }

    private static RefreshRequest consoleRefresh() {
        return RefreshRequest.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT).setCookieMode(true).build();
    }

    private String ownOrigin() {
        return "http://127.0.0.1:" + web.port();
    }

    /** A gRPC-web call as a page of {@code origin} makes it, with the browser's refresh cookie if any. */
    private AuthServiceGrpc.AuthServiceBlockingStub browser(String origin, String refreshCookie) {
        var builder = GrpcClients.builder(ownOrigin())
                .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                .setHeader(HttpHeaderNames.ORIGIN, origin)
                .setHeader(BrowserCall.CSRF_HEADER, "1");
        if (refreshCookie != null) {
            builder.setHeader(HttpHeaderNames.COOKIE, RefreshCookie.PLAIN_NAME + "=" + refreshCookie);
        }
        return builder.build(AuthServiceGrpc.AuthServiceBlockingStub.class);
    }

    private static void assertDenied(Executable call) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).contains(AdminAccess.CONSOLE_CLIENT);
        });
    }
}
