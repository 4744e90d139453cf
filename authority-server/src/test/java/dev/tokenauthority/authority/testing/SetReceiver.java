package dev.tokenauthority.authority.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A push receiver of Security Event Tokens (RFC 8935) on loopback, the JDK's HTTP server: it
 * answers every POST as told ({@link #answer}), after an optional delay, and records every request,
 * and among them those it accepted, in arrival order. It also counts requests in progress at once,
 * to show two replicas never push to it at the same time.
 */
public final class SetReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String body, String contentType, String accept, String authorization, int answeredWith) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private volatile int status = 202;
    private volatile String errorJson = "";
    private volatile Duration delay = Duration.ZERO;

    public SetReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/events", this::handle);
        server.start();
    }

    /** Where the authority is to push: {@code http://127.0.0.1:<port>/events}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** Answers every later request with {@code status} (202 accepts; 400 comes with an error JSON). */
    public void answer(int status) {
        this.status = status;
        this.errorJson = status == 400 ? "{\"err\":\"invalid_request\",\"description\":\"not for us\"}" : "";
    }

    /** Answers only after {@code delay}. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    public List<Received> requests() {
        return List.copyOf(requests);
    }

    /** The bodies (SETs) of the requests answered 202, in arrival order. */
    public List<String> accepted() {
        return requests.stream().filter(r -> r.answeredWith() == 202).map(Received::body).toList();
    }

    /** The most requests that were in progress at the same time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostAtOnce.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int answer = status;
            String error = errorJson;
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            requests.add(new Received(body, exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Accept"),
                    exchange.getRequestHeaders().getFirst("Authorization"), answer));
            byte[] response = error.getBytes(StandardCharsets.UTF_8);
            if (response.length > 0) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        } finally {
            inProgress.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
