package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.web.WebListener;
import dev.tokenauthority.authority.web.WebOptions;
import dev.tokenauthority.cli.LogFormat;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request log in JSON, as an operator's log pipeline reads it: calls on the gRPC port (Netty, loopback) and on
 * the web port (a real gRPC-web client), successful and refused, with and without a W3C traceparent. Every line the
 * authority prints meanwhile parses as a JSON object; each call has one request-log line with its method, status,
 * duration, client id, caller and request id, and the request id is the one the response carried back; none of the
 * passwords, secrets and tokens of the calls appears anywhere.
 */
class RequestLogTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    private static final Metadata.Key<String> TRACEPARENT_HEADER =
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;
    private AuthorityFixture fx;
    private AuthorityServer server;
    private WebListener web;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
        server = new AuthorityServer(Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()),
                fx.authority).start();
        web = WebListener.start(new WebOptions(0, Set.of(), true, null, null, null), fx.authority);
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
                .build();
        LogFormat.JSON.apply();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        System.setErr(originalErr);
        LogFormat.TEXT.apply();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        web.stop();
        server.stop(java.time.Duration.ofSeconds(1));
        fx.close();
    }

    @Test
    void everyCallIsOneJsonLineWithItsRequestIdAndNoSecretOfTheCall() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(DemoData.USER_PASSWORD, DemoData.ADMIN_PASSWORD,
                fx.sidecarSecret, fx.backendSecret));

        // gRPC port, with a traceparent: the request id is its trace-id.
        Metadata traced = new Metadata();
        traced.put(TRACEPARENT_HEADER, TRACEPARENT);
        AtomicReference<Metadata> loginHeaders = new AtomicReference<>();
        TokenPair alice = AuthServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(traced),
                        MetadataUtils.newCaptureMetadataInterceptor(loginHeaders, new AtomicReference<>()))
                .login(login(DemoData.APP_CLIENT, AuthorityFixture.ALICE, DemoData.USER_PASSWORD));
        assertThat(loginHeaders.get().get(RequestLog.REQUEST_ID)).isEqualTo(TRACE_ID);

        // gRPC port, refused, no traceparent: a generated id, carried back in the (trailers-only) answer.
        AtomicReference<Metadata> refusedTrailers = new AtomicReference<>();
        assertThatThrownBy(() -> AuthServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), refusedTrailers))
                .login(login(DemoData.APP_CLIENT, AuthorityFixture.BOB, "not-" + DemoData.USER_PASSWORD)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        String generatedId = refusedTrailers.get().get(RequestLog.REQUEST_ID);
        assertThat(generatedId).matches("[0-9a-f]{32}").isNotEqualTo(TRACE_ID);

        // A confidential client's secret and a token in the request; an admin's bearer token in the metadata.
        AuthServiceGrpc.newBlockingStub(channel).introspect(IntrospectRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret)
                .setToken(alice.getAccessToken()).build());
        TokenPair admin = AuthServiceGrpc.newBlockingStub(channel)
                .login(login(AdminAccess.CLI_CLIENT, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD));
        AdminServiceGrpc.newBlockingStub(channel)
                .withInterceptors(AuthorityFixture.bearer(admin.getAccessToken()))
                .listSessions(ListSessionsRequest.newBuilder().setPageSize(10).build());

        // Web port: gRPC-web with a traceparent of an unknown future version, still valid (W3C Trace Context 3.2.4).
        AtomicReference<Metadata> webHeaders = new AtomicReference<>();
        String futureTraceId = "0af7651916cd43dd8448eb211c80319c";
        TokenPair webAlice = GrpcClients.builder("http://127.0.0.1:" + web.port())
                .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                .setHeader("traceparent", "01-" + futureTraceId + "-b7ad6b7169203331-01-later")
                .intercept(MetadataUtils.newCaptureMetadataInterceptor(webHeaders, new AtomicReference<>()))
                .build(AuthServiceGrpc.AuthServiceBlockingStub.class)
                .login(login(DemoData.APP_CLIENT, AuthorityFixture.ALICE, DemoData.USER_PASSWORD));
        assertThat(webHeaders.get().get(RequestLog.REQUEST_ID)).isEqualTo(futureTraceId);

        for (TokenPair pair : List.of(alice, admin, webAlice)) {
            secrets.addAll(List.of(pair.getAccessToken(), pair.getRefreshToken()));
        }
        System.setErr(originalErr);
        String output = captured.toString(StandardCharsets.UTF_8);
        originalErr.print(output);

        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            Map<String, Object> json = JSONObjectUtils.parse(line);
            assertThat(json).as(line).containsKeys("time", "level", "logger", "message");
            assertThat(Instant.parse((String) json.get("time"))).isBeforeOrEqualTo(Instant.now());
            lines.add(json);
        }
        List<Map<String, Object>> calls = lines.stream()
                .filter(line -> RequestLog.class.getName().equals(line.get("logger"))).toList();
        assertThat(calls).extracting(call -> call.get("method") + " " + call.get("status")).containsExactly(
                "tokenauthority.v1.AuthService/Login OK",
                "tokenauthority.v1.AuthService/Login UNAUTHENTICATED",
                "tokenauthority.v1.AuthService/Introspect OK",
                "tokenauthority.v1.AuthService/Login OK",
                "tokenauthority.v1.AdminService/ListSessions OK",
                "tokenauthority.v1.AuthService/Login OK");
        assertThat(calls).extracting(call -> call.get("client_id")).containsExactly(DemoData.APP_CLIENT,
                DemoData.APP_CLIENT, DemoData.SIDECAR_CLIENT, AdminAccess.CLI_CLIENT, null, DemoData.APP_CLIENT);
        assertThat(calls).extracting(call -> call.get("request_id"))
                .startsWith(TRACE_ID, generatedId).endsWith(futureTraceId)
                .allSatisfy(id -> assertThat((String) id).matches("[0-9a-f]{32}"))
                .doesNotHaveDuplicates();
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.get("caller")).isEqualTo("127.0.0.1");
            assertThat(call.get("level")).isEqualTo("INFO");
            assertThat(((Number) call.get("duration_ms")).doubleValue()).isPositive().isLessThan(60_000);
        });
        assertThat(secrets).hasSizeGreaterThan(8).allSatisfy(secret -> assertThat(output).doesNotContain(secret));
        assertThat(output).doesNotContainIgnoringCase("bearer").doesNotContain("ta_cs_", "ta_rt_");
    }

    @Test
    void aClientIdThatCouldForgeOrFloodTheTextLogIsNotLoggedAsSent() {
        LogFormat.TEXT.apply();
        String forged = "2026-12-06T00:00:00.000Z INFO  [main] bootstrap admin attacker@evil.example created";
        String huge = "x".repeat(100_000);
        for (String clientId : List.of("app\n" + forged, "app\" caller=\"10.0.0.1", huge)) {
            assertThatThrownBy(() -> AuthServiceGrpc.newBlockingStub(channel)
                    .login(login(clientId, AuthorityFixture.ALICE, DemoData.USER_PASSWORD)))
                    .isInstanceOf(StatusRuntimeException.class);
        }

        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output.lines().filter(line -> line.contains("AuthService/Login"))).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("client_id=\"(not a client id)\""));
        assertThat(output).doesNotContain(forged, "10.0.0.1", "xxxxxxxxxx");
    }

    @Test
    void aCallMadeForNoClientHasNoClientIdInTheTextLogRatherThanNull() {
        LogFormat.TEXT.apply();
        KeyServiceGrpc.newBlockingStub(channel).getJwks(GetJwksRequest.getDefaultInstance());
        AuthServiceGrpc.newBlockingStub(channel).login(login(DemoData.APP_CLIENT, AuthorityFixture.ALICE,
                DemoData.USER_PASSWORD));

        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output.lines().filter(line -> line.contains("KeyService/GetJwks OK"))).singleElement()
                .satisfies(line -> assertThat(line).doesNotContain("client_id").contains("caller=\"127.0.0.1\""));
        assertThat(output.lines().filter(line -> line.contains("AuthService/Login OK"))).singleElement()
                .satisfies(line -> assertThat(line).contains("client_id=\"" + DemoData.APP_CLIENT + "\""));
    }

    private static LoginRequest login(String clientId, String email, String password) {
        return LoginRequest.newBuilder().setClientId(clientId).setUsername(email).setPassword(password).build();
    }
}
