package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's Prometheus endpoint, scraped over HTTP as Prometheus would. */
class MetricsProcessTest {

    @TempDir
    Path dir;

    private LoopbackCluster cluster;

    @AfterEach
    void killEveryChild() throws InterruptedException {
        cluster.close();
    }

    @Test
    void metricsCountValidationsByReasonAndReportFeedLagAndRevocationSetSizes() throws Exception {
        cluster = new LoopbackCluster(dir);
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo"));
        int metricsPort = ChildProcess.freePort();
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of("--metrics-port", String.valueOf(metricsPort)));
        sidecar.awaitServing();
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        sidecar.validate(pair.getAccessToken());
        sidecar.validate("not-a-token");
        authority.revokeSession(authority.adminToken(), pair.getSessionId());
        sidecar.awaitDenial(pair.getAccessToken(), dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED,
                "the revoked session");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics)
                // at least one valid: waiting for the denial may have validated the token again before it landed
                .containsPattern("tokenauthority_sidecar_validations_total\\{reason=\"\",result=\"valid\"} [1-9]")
                .contains("tokenauthority_sidecar_validations_total{reason=\"DENIAL_REASON_MALFORMED\",result=\"denied\"} 1.0")
                .contains("tokenauthority_sidecar_validations_total{reason=\"DENIAL_REASON_SESSION_REVOKED\",result=\"denied\"}")
                .contains("tokenauthority_sidecar_validate_seconds_bucket")
                .contains("tokenauthority_sidecar_feed_lag_sequences 0.0")
                .contains("tokenauthority_sidecar_feed_age_milliseconds")
                .contains("tokenauthority_sidecar_revocation_entries{kind=\"revoked_session\"} 1.0");
    }
}
