package dev.tokenauthority.authority.server;

import dev.tokenauthority.authority.api.CallMetadata;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The authority's gRPC server over any transport: main passes a Netty builder, tests an
 * in-process one. Serves the API, grpc.health.v1 and server reflection (for grpcurl).
 */
public final class AuthorityServer {

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();

    public AuthorityServer(ServerBuilder<?> builder, Authority authority) {
        CallMetadata metadata = new CallMetadata();
        for (BindableService service : authority.services()) {
            // The last listed runs first: the metrics see every call, whatever the others do with it.
            builder.addService(ServerInterceptors.intercept(service, metadata, authority.metrics().rpcs()));
        }
        this.server = builder
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
    }

    public AuthorityServer start() throws IOException {
        server.start();
        health.setStatus("", ServingStatus.SERVING);
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** Stops accepting calls, lets in-flight calls finish for up to {@code graceSeconds}, then cancels them. */
    public void stop(long graceSeconds) throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }
}
