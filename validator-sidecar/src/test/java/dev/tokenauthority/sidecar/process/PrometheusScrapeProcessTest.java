package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.PrometheusTools;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's package) scraping a real authority and a real sidecar every second, with the
 * alert rules of docs/operations loaded: the series the README lists arrive, under the job names the rules expect.
 */
class PrometheusScrapeProcessTest {

    /** Scrapes every second; the first after a target appears can take a few, on a loaded machine more. */
    private static final Duration SCRAPE_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private LoopbackCluster cluster;
    private ChildProcess prometheus;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void killEveryChild() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        cluster.close();
    }

    @Test
    void prometheusScrapesTheAuthorityAndTheSidecarAndLoadsTheAlertRules() throws Exception {
        Path prometheusBinary = PrometheusTools.require("prometheus");
        cluster = new LoopbackCluster(dir);
        int authorityMetrics = ChildProcess.freePort();
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo", "--metrics-port", String.valueOf(authorityMetrics)));
        int sidecarMetrics = ChildProcess.freePort();
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of("--metrics-port", String.valueOf(sidecarMetrics)));
        sidecar.awaitServing();
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        authority.revokeSession(authority.adminToken(), pair.getSessionId());
        sidecar.awaitDenial(pair.getAccessToken(), DenialReason.DENIAL_REASON_SESSION_REVOKED, "the revoked session");

        int port = ChildProcess.freePort();
        prometheus = ChildProcess.start(dir, "prometheus", List.of(prometheusBinary.toString(),
                "--config.file=" + config(authorityMetrics, sidecarMetrics),
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port));
        prometheus.awaitListening("Server is ready to receive web requests", port, LoopbackCluster.STARTUP_LIMIT);

        for (String query : List.of(
                "up{job=\"tokenauthority\"} == 1",
                "up{job=\"tokenauthority-sidecar\"} == 1",
                "tokenauthority_feed_subscribers{job=\"tokenauthority\"} == 1",
                "tokenauthority_revocations_total{job=\"tokenauthority\",kind=\"session\"} == 1",
                "tokenauthority_grpc_requests_total{job=\"tokenauthority\",method=\"tokenauthority.v1.AuthService/Login\","
                        + "code=\"OK\"} >= 2",
                "tokenauthority_grpc_request_duration_seconds_count{job=\"tokenauthority\"}",
                "tokenauthority_feed_subscriber_lag_sequences_count{job=\"tokenauthority\"} > 0",
                "tokenauthority_db_pool_connections{job=\"tokenauthority\",state=\"max\"} > 0",
                "tokenauthority_signing_keys_published{job=\"tokenauthority\"} == 1",
                "jvm_memory_used_bytes{job=\"tokenauthority\",area=\"heap\"} > 0",
                "tokenauthority_sidecar_feed_age_milliseconds{job=\"tokenauthority-sidecar\"} >= 0")) {
            prometheus.await(SCRAPE_LIMIT, "Prometheus to answer " + query, () -> hasResult(port, query));
        }
        String rules = get(port, "/api/v1/rules");
        assertThat(rules).contains("\"name\":\"TokenAuthorityDown\"", "\"name\":\"TokenAuthoritySidecarStale\"",
                "\"name\":\"TokenAuthoritySigningKeyTooOld\"");
        assertThat(get(port, "/api/v1/query?query=" + URLEncoder.encode("ALERTS{alertstate=\"firing\"}",
                StandardCharsets.UTF_8))).as("nothing is wrong with a healthy pair").contains("\"result\":[]");
    }

    /** The README's example scrape configuration, at one-second intervals, with docs/operations/alerts.yml. */
    private Path config(int authorityMetrics, int sidecarMetrics) throws IOException {
        Path rules = dir.resolve("alerts.yml");
        Files.copy(PrometheusTools.operationsDocs().resolve("alerts.yml"), rules);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: tokenauthority
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: tokenauthority-sidecar
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(rules, authorityMetrics, sidecarMetrics));
        return config;
    }

    private boolean hasResult(int port, String query) {
        String body = get(port, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        return body.contains("\"status\":\"success\"") && body.contains("\"result\":[{");
    }

    private String get(int port, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
