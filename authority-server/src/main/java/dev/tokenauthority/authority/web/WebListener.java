package dev.tokenauthority.authority.web;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.ClientAddressSource;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import dev.tokenauthority.authority.api.BrowserCall;
import dev.tokenauthority.authority.api.BrowserCalls;
import dev.tokenauthority.authority.api.CallMetadata;
import dev.tokenauthority.authority.api.RefreshCookie;
import dev.tokenauthority.authority.api.RequestLog;
import dev.tokenauthority.authority.server.Authority;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.netty.handler.ssl.ClientAuth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The browser-facing listener: gRPC-web and gRPC-web-text (Armeria speaks the protocol) for the
 * same AuthService, KeyService and AdminService objects the gRPC port serves, CORS for the
 * allowed origins, the admin console's static files at /admin/, the discovery documents under /.well-known/
 * ({@link WellKnownDocuments}) and the health probes /healthz and /readyz ({@link HealthEndpoints}). The Secure refresh cookie is scoped to the whole
 * host ({@link RefreshCookie}): serve nothing else on this origin that should not receive it.
 */
public final class WebListener {

    /** Headers gRPC-web clients send; {@code authorization} carries the admin's access token. */
    private static final List<String> REQUEST_HEADERS = List.of("content-type", "x-grpc-web", "x-user-agent",
            "grpc-timeout", "authorization", BrowserCall.CSRF_HEADER);
    private static final List<String> RESPONSE_HEADERS = List.of("grpc-status", "grpc-message",
            "grpc-status-details-bin", RequestLog.REQUEST_ID.name());

    private static final Duration EXPORT_TIME_LIMIT = Duration.ofMinutes(30);

    /** The longest a stop waits for in-flight requests (SIGTERM waits at most its own grace). */
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(1);
    /** How long a stop waits with no request in flight before closing: non-zero, or Armeria does not drain at all. */
    static final Duration DRAIN_QUIET_PERIOD = Duration.ofMillis(10);

    private final Server server;

    private WebListener(Server server) {
        this.server = server;
    }

    public static WebListener start(WebOptions options, Authority authority) {
        ServerBuilder builder = Server.builder()
                // Armeria's default 10 s would cut a large ExportTokens stream short; a client's grpc-timeout still applies.
                .requestTimeout(EXPORT_TIME_LIMIT)
                // A quiet period of zero turns Armeria's graceful shutdown off (the server stops at once and an
                // in-flight call's response becomes a 503); the shortest non-zero one drains: new requests are
                // refused at once, in-flight ones finish (see stopAsync).
                .gracefulShutdownTimeout(DRAIN_QUIET_PERIOD, DRAIN_LIMIT);
        if (options.tlsCert() == null) {
            builder.http(options.port());
        } else {
            builder.https(options.port()).tls(options.tlsCert().toFile(), options.tlsKey().toFile());
            if (options.tlsClientCa() != null) {
                builder.tlsCustomizer(tls -> tls.trustManager(options.tlsClientCa().toFile())
                        .clientAuth(ClientAuth.REQUIRE));
            }
        }
        // The caller's address for audit and the login throttle: the TCP peer, or what a trusted reverse proxy says.
        builder.clientAddressTrustedProxyFilter(options.trustedProxy())
                .clientAddressSources(ClientAddressSource.ofHeader(HttpHeaderNames.FORWARDED),
                        ClientAddressSource.ofHeader(HttpHeaderNames.X_FORWARDED_FOR));
        GrpcService grpcWeb = grpcWeb(options, authority.webServices(), authority.metrics().rpcs());
        if (options.allowedOrigins().isEmpty()) {
            builder.service(grpcWeb);
        } else {
            builder.service(grpcWeb, cors(options));
        }
        WellKnownDocuments wellKnown = new WellKnownDocuments(authority.signingKeys(), authority.keySetFreshness(),
                authority.policy().issuer());
        wellKnown.jwksPaths().forEach(path -> builder.service(path, wellKnown.jwks()));
        wellKnown.metadataPaths().forEach(path -> builder.service(path, wellKnown.metadata()));
        builder.service(HealthEndpoints.LIVENESS_PATH, HealthEndpoints.liveness())
                .service(HealthEndpoints.READINESS_PATH,
                        HealthEndpoints.readiness(authority.databaseHealth()::answering));
        builder.serviceUnder("/admin/", AdminConsole.files())
                .service("/admin", redirectTo("/admin/"))
                .service("/favicon.ico", AdminConsole.favicon())
                .service("/", redirectTo("/admin/"));
        Server server = builder.build();
        server.start().join();
        return new WebListener(server);
    }

    private static GrpcService grpcWeb(WebOptions options, List<BindableService> services,
            ServerInterceptor rpcMetrics) {
        // The last interceptor listed runs first: the metrics (so they count calls the browser check refuses),
        // transport attributes, then the request log (which so sees every call, a refused browser call too), then
        // the browser call, then the metadata shared with the gRPC port.
        CallMetadata metadata = new CallMetadata();
        RequestLog requestLog = new RequestLog();
        BrowserCalls browserCalls = new BrowserCalls(options.allowedOrigins(), options.consoleOrigin(),
                options.insecureCookiesOnLocalhost());
        ArmeriaTransportAttributes transport = new ArmeriaTransportAttributes();
        GrpcServiceBuilder grpc = GrpcService.builder()
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                // Services block on the database: keep them off the event loops.
                .useBlockingTaskExecutor(true);
        services.forEach(service ->
                grpc.addService(ServerInterceptors.intercept(service, metadata, browserCalls, requestLog, transport,
                        rpcMetrics)));
        return grpc.build();
    }

    private static Function<? super HttpService, CorsService> cors(WebOptions options) {
        return CorsService.builder(options.allowedOrigins())
                .allowCredentials()
                .allowRequestMethods(HttpMethod.POST)
                .allowRequestHeaders(REQUEST_HEADERS)
                .exposeHeaders(RESPONSE_HEADERS)
                .maxAge(Duration.ofHours(1))
                .newDecorator();
    }

    private static HttpService redirectTo(String location) {
        return (ctx, req) -> HttpResponse.ofRedirect(HttpStatus.FOUND, location);
    }

    public int port() {
        return server.activeLocalPort();
    }

    /** Stops accepting requests and waits for the in-flight ones to finish (see {@link #stopAsync}). */
    public void stop() {
        stopAsync().join();
    }

    /**
     * Stops accepting requests at once and completes when the in-flight ones have finished, or after
     * {@link #DRAIN_LIMIT}; the caller bounds its own wait by its shutdown grace. Without a drain, a SIGTERM
     * cut every browser's call short while its handler went on (a login issued tokens no one received).
     */
    public CompletableFuture<Void> stopAsync() {
        return server.stop();
    }
}
