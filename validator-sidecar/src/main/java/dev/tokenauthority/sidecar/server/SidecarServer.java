package dev.tokenauthority.sidecar.server;

import dev.tokenauthority.sidecar.feed.FeedFreshness;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar's gRPC listeners (loopback TCP, and a Unix socket if asked) serving Validate,
 * Envoy's ext_authz Check, grpc.health.v1 and reflection. Health is NOT_SERVING until the first snapshot is applied and
 * whenever the revocation state is older than the allowed staleness.
 */
public final class SidecarServer {

    /** How often the health status is re-evaluated from the feed's freshness. */
    private static final long HEALTH_PERIOD_MILLIS = 250;

    private final List<Server> servers = new ArrayList<>();
    private final HealthStatusManager health = new HealthStatusManager();
    private final FeedFreshness freshness;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sidecar-health");
        t.setDaemon(true);
        return t;
    });

    public SidecarServer(List<ServerBuilder<?>> builders, List<BindableService> deciders, FeedFreshness freshness) {
        this.freshness = freshness;
        for (ServerBuilder<?> builder : builders) {
            // Validate and Check never block: run them on the transport threads.
            builder.directExecutor();
            deciders.forEach(builder::addService);
            servers.add(builder
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .build());
        }
    }

    public SidecarServer start() throws IOException {
        updateHealth();
        for (Server server : servers) {
            server.start();
        }
        ticker.scheduleAtFixedRate(this::updateHealth, HEALTH_PERIOD_MILLIS, HEALTH_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void updateHealth() {
        ServingStatus status = freshness.isFresh() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", status);
        health.setStatus("tokenauthority.v1.ValidatorService", status);
    }

    /** The TCP port of the first listener. */
    public int port() {
        return servers.get(0).getPort();
    }

    public void stop() throws InterruptedException {
        ticker.shutdownNow();
        health.enterTerminalState();
        for (Server server : servers) {
            server.shutdown();
        }
        for (Server server : servers) {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        }
    }

    public void awaitTermination() throws InterruptedException {
        for (Server server : servers) {
            server.awaitTermination();
        }
    }
}
