package dev.tokenauthority.authority.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scrape of a metrics listener over HTTP, as Prometheus makes it, read as series (a name and its labels exactly as
 * exposed, e.g. {@code tokenauthority_refreshes_total{outcome="rotated"}}) and their values.
 */
final class Scrape {

    final String body;
    private final Map<String, Double> values = new LinkedHashMap<>();

    private Scrape(String body) {
        this.body = body;
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    static Scrape of(MetricsListener listener) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listener.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    /** The series' value; fails naming the series when it is not exposed. */
    double value(String series) {
        assertThat(values).as("exposed series").containsKey(series);
        return values.get(series);
    }

    boolean has(String series) {
        return values.containsKey(series);
    }
}
