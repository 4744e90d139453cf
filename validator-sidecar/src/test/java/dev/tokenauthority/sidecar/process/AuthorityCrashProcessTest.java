package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authority dies (SIGKILL, no shutdown hook) under a sidecar with --max-staleness 30s: the
 * sidecar keeps answering from what it has, within the staleness it was allowed, and when the
 * authority comes back on the same PostgreSQL database and port it resumes from its position:
 * later revocations arrive, earlier ones stay, nothing is applied twice and no snapshot is needed.
 */
class AuthorityCrashProcessTest {

    /** Heartbeats come every second: a state this old proves the sidecar runs on what it had. */
    private static final long DOWN_LONG_ENOUGH_MS = 3_000;

    @TempDir
    Path dir;

    private TestDatabase database;
    private LoopbackCluster cluster;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.postgres();
        cluster = new LoopbackCluster(dir);
    }

    @AfterEach
    void killEveryChildThenDropTheDatabase() throws InterruptedException {
        try {
            cluster.close();
        } finally {
            database.close();
        }
    }

    @Test
    void aSidecarOutlivesAnAuthorityCrashWithinMaxStalenessAndResumesFromItsPositionAfterTheRestart()
            throws Exception {
        AuthorityNode authority = cluster.startAuthority("authority-1", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo", "--db-url", database.url(), "--db-user", database.user()));
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of("--max-staleness", "30s", "--stale-policy", "fail-closed"));
        sidecar.awaitServing();

        String admin = authority.adminToken();
        TokenPair untouched = authority.login(AuthorityFixture.ALICE);
        TokenPair revokedBefore = authority.login(AuthorityFixture.BOB);
        TokenPair revokedAfter = authority.login(AuthorityFixture.ALICE);
        long first = authority.revokeSession(admin, revokedBefore.getSessionId()).getFeedSequence();
        sidecar.awaitDenial(revokedBefore.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "the revocation before the crash");

        authority.process.kill();

        // Down, but within max staleness: answers come from the state the sidecar holds.
        ValidateResponse whileDown = sidecar.awaitValidation(untouched.getAccessToken(),
                "the sidecar's state to age past a few missed heartbeats",
                r -> r.getFeedAgeMs() >= DOWN_LONG_ENOUGH_MS);
        assertThat(whileDown.getValid()).as("a live token while the authority is down: %s", whileDown).isTrue();
        assertThat(whileDown.getFeedSequence()).isEqualTo(first);
        assertThat(sidecar.validate(revokedBefore.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        assertThat(sidecar.validate(revokedAfter.getAccessToken()).getValid()).isTrue();
        assertThat(sidecar.health()).isEqualTo(ServingStatus.SERVING);

        AuthorityNode restarted = cluster.restart(authority, "authority-2");
        long second = restarted.revokeSession(admin, revokedAfter.getSessionId()).getFeedSequence();
        assertThat(second).isGreaterThan(first);
        ValidateResponse deniedAfter = sidecar.awaitValidation(revokedAfter.getAccessToken(),
                "the revocation after the restart to reach the sidecar at sequence " + second,
                r -> r.getReason() == DENIAL_REASON_SESSION_REVOKED && r.getFeedSequence() == second);
        assertThat(deniedAfter.getValid()).isFalse();

        // The earlier state is intact and the sidecar is exactly at the authority's latest revocation.
        ValidateResponse stillLive = sidecar.validate(untouched.getAccessToken());
        assertThat(stillLive.getValid()).as("the untouched session after the restart: %s", stillLive).isTrue();
        assertThat(stillLive.getFeedSequence()).isEqualTo(second);
        assertThat(stillLive.getFeedAgeMs()).isLessThan(Duration.ofSeconds(30).toMillis());
        assertThat(sidecar.validate(revokedBefore.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        sidecar.awaitServing(); // health is re-evaluated every 250 ms
        // It resumed after its applied sequence: one snapshot (at start), no hole found, no resync.
        assertThat(sidecar.process.logLinesContaining("applied a snapshot")).as(sidecar.process.output()).isEqualTo(1);
        assertThat(sidecar.process.log()).doesNotContain("missed an event");
        assertThat(sidecar.process.log()).contains("the stream was interrupted: 127.0.0.1:").doesNotContain("TLS");
    }
}
