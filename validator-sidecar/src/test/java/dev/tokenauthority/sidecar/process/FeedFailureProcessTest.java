package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.sidecar.SidecarMain;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar that cannot follow the revocation feed says why in words an operator acts on (connection refused, unknown
 * host, TLS, wrong credentials), logs refused credentials as an error and backs off instead of repeating it every
 * second, and says when it follows the feed again and from which position.
 */
@ExtendWith(ClusterExtension.class)
class FeedFailureProcessTest {

    private static final Duration LOG_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aStoppedAuthorityIsReportedAsRefusingConnectionsAndTheReturnLogsThePositionResumedFrom(LoopbackCluster cluster)
            throws Exception {
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo"));
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of());
        sidecar.awaitServing();
        TokenPair revoked = authority.login(AuthorityFixture.ALICE);
        long sequence = authority.revokeSession(authority.adminToken(), revoked.getSessionId()).getFeedSequence();
        sidecar.awaitDenial(revoked.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "the revocation to arrive");

        authority.process.terminate();
        awaitLog(sidecar.process, "connection refused by 127.0.0.1:" + authority.port + ": no authority listens there");

        // The line for this return: the first stream may have needed a retry too, while the authority warmed up.
        String resumed = "following the revocation feed again on 127.0.0.1:" + authority.port;
        int before = (int) sidecar.process.logLinesContaining(resumed);
        cluster.restart(authority, "authority-again");

        sidecar.process.await(LOG_LIMIT, "the log to say \"" + resumed + "\" once more",
                () -> sidecar.process.logLinesContaining(resumed) > before);
        String line = sidecar.process.log().lines().filter(l -> l.contains(resumed)).reduce((a, b) -> b).orElseThrow();
        assertThat(line).contains("from sequence " + sequence).doesNotContain("full snapshot");
    }

    @Test
    void anUnknownHostAMismatchedTlsAndAWrongSecretAreEachNamedAndRefusedCredentialsBackOff(LoopbackCluster cluster)
            throws Exception {
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo"));
        Path secret = authority.sidecarSecretFile();

        SidecarNode tls = cluster.startSidecar("tls", authority.port, secret, null, List.of("--authority-tls"));
        Path wrongSecret = Files.writeString(dir.resolve("wrong.secret"), "ta_cs_wrong");
        SidecarNode wrong = cluster.startSidecar("wrong-secret", authority.port, wrongSecret, null, List.of());

        try (ChildProcess unknown = ChildProcess.launch(dir, "unknown-host", SidecarMain.class, List.of(
                "--authority", "authority.invalid:7070", "--grpc-port", "0", "--issuer", LoopbackCluster.ISSUER,
                "--any-audience", "--client-id", DemoData.SIDECAR_CLIENT, "--client-secret-file", secret.toString()))) {
            awaitLog(unknown, "unknown host in authority.invalid:7070: correct --authority");
        }
        awaitLog(tls.process, "speaks TLS (--authority-tls) and the authority answered in plaintext");
        String refusedLine = "ERROR [feed-client] dev.tokenauthority.sidecar.feed.FeedClient - cannot follow the "
                + "revocation feed: 127.0.0.1:" + authority.port + " refused this sidecar's client (UNAUTHENTICATED";
        awaitLog(wrong.process, refusedLine);
        assertThat(wrong.process.log()).contains("check --client-id and --client-secret-file");
        // Retries wait at least 1, 2, 4 s after the first refusal: four attempts at most within 8 s of it, where the
        // reconnect backoff (100 ms doubling, from zero) made about ten.
        Thread.sleep(8_000);
        assertThat(wrong.process.logLinesContaining(refusedLine)).as(wrong.process.output()).isBetween(1L, 4L);
        assertThat(wrong.process.log().lines().filter(line -> line.contains("WARN") && line.contains("refused")))
                .as("a refusal is never a mere warning").isEmpty();
    }

    private static void awaitLog(ChildProcess process, String text) {
        process.await(LOG_LIMIT, "the log to say \"" + text + "\"", () -> process.log().contains(text));
    }
}
