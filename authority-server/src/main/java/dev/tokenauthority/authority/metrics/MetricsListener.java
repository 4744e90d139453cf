package dev.tokenauthority.authority.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Serves a registry at {@code http://<host>:<port>/metrics} in the Prometheus text format (the
 * client library's small JDK HTTP server; no web framework). Port 0 in tests picks a free port.
 */
public final class MetricsListener implements AutoCloseable {

    private final HTTPServer server;

    private MetricsListener(HTTPServer server) {
        this.server = server;
    }

    public static MetricsListener start(int port, PrometheusRegistry registry) {
        try {
            return new MetricsListener(HTTPServer.builder().port(port).registry(registry).buildAndStart());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
