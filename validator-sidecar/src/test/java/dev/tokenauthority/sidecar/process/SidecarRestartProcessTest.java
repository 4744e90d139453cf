package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar keeps no state on disk: one killed with SIGKILL and started again learns every
 * revocation from the authority's snapshot before it reports SERVING, so a revoked token is never
 * accepted by the new process, over TCP or its Unix socket. The authority is a real process on an
 * H2 file database, with the demo data.
 */
class SidecarRestartProcessTest {

    @TempDir
    Path dir;

    private LoopbackCluster cluster;

    @BeforeEach
    void createCluster() {
        cluster = new LoopbackCluster(dir);
    }

    @AfterEach
    void killEveryChild() throws InterruptedException {
        cluster.close();
    }

    @Test
    void aSidecarKilledAndStartedAgainStillDeniesARevokedSessionOverTcpAndItsUnixSocket() throws Exception {
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo"));
        Path socket = dir.resolve("v.sock");
        SidecarNode first = cluster.startSidecar("sidecar-1", authority.port, authority.sidecarSecretFile(), socket,
                List.of());
        first.awaitServing();

        TokenPair revoked = authority.login(AuthorityFixture.ALICE);
        TokenPair live = authority.login(AuthorityFixture.BOB);
        assertThat(first.validate(revoked.getAccessToken()).getValid()).as("before the revocation").isTrue();
        assertThat(first.validateOverUds(live.getAccessToken()).getValid()).as("over the Unix socket").isTrue();

        long sequence = authority.revokeSession(authority.adminToken(), revoked.getSessionId()).getFeedSequence();
        first.awaitDenial(revoked.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "the first sidecar to deny");
        assertThat(first.validateOverUds(revoked.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);

        first.process.kill();
        assertThat(Files.exists(socket)).as("SIGKILL leaves the socket file behind").isTrue();

        SidecarNode second = cluster.startSidecar("sidecar-2", authority.port, authority.sidecarSecretFile(), socket,
                List.of());
        second.awaitServing();
        // No polling from here on: SERVING means the snapshot is applied, and it must already hold the revocation.
        ValidateResponse afterRestart = second.validate(revoked.getAccessToken());
        assertThat(afterRestart.getValid()).as("a revoked token after the restart: %s", afterRestart).isFalse();
        assertThat(afterRestart.getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        assertThat(afterRestart.getFeedSequence()).isGreaterThanOrEqualTo(sequence);
        ValidateResponse liveAfterRestart = second.validate(live.getAccessToken());
        assertThat(liveAfterRestart.getValid()).as("a live token after the restart: %s", liveAfterRestart).isTrue();
        assertThat(liveAfterRestart.getSessionId()).isEqualTo(live.getSessionId());

        assertThat(second.validateOverUds(revoked.getAccessToken()).getReason())
                .as("the new process serves the same socket path").isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        assertThat(second.validateOverUds(live.getAccessToken()).getValid()).isTrue();
        assertThat(second.health()).isEqualTo(ServingStatus.SERVING);
        assertThat(second.process.log()).as("the new sidecar resynced from a snapshot").contains("applied a snapshot");
    }
}
