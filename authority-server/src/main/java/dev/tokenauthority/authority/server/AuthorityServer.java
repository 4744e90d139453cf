package dev.tokenauthority.authority.server;

import dev.tokenauthority.authority.api.CallMetadata;
import dev.tokenauthority.authority.api.RequestLog;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The authority's gRPC server over any transport: main passes a Netty builder, tests an
 * in-process one. Serves the API (each call in the request log), grpc.health.v1 (SERVING while the database
 * answers, see {@link DatabaseHealth}) and server reflection (for grpcurl).
 */
public final class AuthorityServer {

    private final Server server;
    private final Authority authority;
    private final HealthStatusManager health = new HealthStatusManager();
    private final DatabaseHealth databaseHealth;

    public AuthorityServer(ServerBuilder<?> builder, Authority authority) {
        this.databaseHealth = authority.databaseHealth();
        this.authority = authority;
        CallMetadata metadata = new CallMetadata();
        RequestLog requestLog = new RequestLog();
        for (BindableService service : authority.services()) {
            // The last interceptor listed runs first: the metrics see every call, whatever the others do with it, then
            // the request log (which so sees every call, however it ends).
            builder.addService(ServerInterceptors.intercept(service, metadata, requestLog, authority.metrics().rpcs()));
        }
        this.server = builder
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
    }

    public AuthorityServer start() throws IOException {
        server.start();
        // Serving while the database answers: a replica that cannot reach it would fail every call but GetJwks.
        databaseHealth.onChange(answering ->
                health.setStatus("", answering ? ServingStatus.SERVING : ServingStatus.NOT_SERVING));
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Stops accepting calls, ends the feed streams at once (they never end by themselves, and their
     * sidecars should move to another replica now, not after the grace), lets in-flight unary calls
     * finish for up to {@code grace} (to the nanosecond: a grace of 1.5 s is not cut to 1 s), then cancels what is left. New calls are refused before the
     * streams end, so a sidecar cannot resubscribe here in between.
     */
    public void stop(Duration grace) throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        authority.endFeedStreams();
        if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }
}
