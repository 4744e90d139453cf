package dev.tokenauthority.authority.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One push of one SET over HTTP, RFC 8935: a POST of the compact JWT with {@code Content-Type:
 * application/secevent+jwt} and {@code Accept: application/json} (section 2.1), and the receiver's
 * own authorization header. 202 is acceptance (section 2.2); 400 is a refusal of this SET with an
 * error JSON (section 2.3), final: sending it again would be refused again. Anything else, a
 * timeout or a refused connection, may succeed later and is retried.
 */
public final class EventPush {

    /** The longest a push waits for its answer before it is retried. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /** How a push ended. {@code detail} is for the receiver's status: never the SET or the header. */
    public record Outcome(Kind kind, String detail) {
        public enum Kind { ACCEPTED, REFUSED, RETRY }
    }

    private final HttpClient http;

    public EventPush(HttpClient http) {
        this.http = http;
    }

    public static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Outcome push(String endpointUrl, String authHeader, String set) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpointUrl))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/secevent+jwt")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(set));
        if (authHeader != null) {
            request.header("Authorization", authHeader);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 202) {
                return new Outcome(Outcome.Kind.ACCEPTED, "202");
            }
            if (status == 400) {
                return new Outcome(Outcome.Kind.REFUSED, "400 " + abbreviated(response.body()));
            }
            return new Outcome(Outcome.Kind.RETRY, "HTTP " + status);
        } catch (IOException e) {
            return new Outcome(Outcome.Kind.RETRY, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + abbreviated(e.getMessage())));
        }
    }

    /** The receiver's error JSON ({@code err}, {@code description}, RFC 8935 section 2.3), cut to fit the status. */
    private static String abbreviated(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
