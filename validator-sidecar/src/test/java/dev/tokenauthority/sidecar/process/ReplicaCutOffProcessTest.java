package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_FEED_STALE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TcpProxy;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on one PostgreSQL database; replica B reaches it through a TCP proxy that the test
 * cuts. B's process and its feed streams stay up, so its sidecar keeps getting heartbeats; but B
 * can no longer read the log, while A commits a revocation. The sidecar must not go on answering
 * "valid, fresh" for the revoked token: B's heartbeats vouch only for B's last read of the
 * database, so the sidecar ages past its max staleness and fails closed. When the proxy is
 * restored, B reads the log again and the revocation arrives. The sidecar is paused (SIGSTOP)
 * across the revocation as well.
 *
 * <p>Proves G3 of docs/guarantees.md. Before heartbeats carried the time of the replica's last
 * read, B vouched for its own stale position every second and the sidecar stayed fresh forever.
 */
class ReplicaCutOffProcessTest {

    private static final Duration MAX_STALENESS = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private TestDatabase database;
    private TcpProxy proxy;
    private LoopbackCluster cluster;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.postgres();
        String[] server = TestDatabase.POSTGRES_HOST.split(":");
        proxy = new TcpProxy(new InetSocketAddress(server[0], Integer.parseInt(server[1])));
        cluster = new LoopbackCluster(dir);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            cluster.close();
            proxy.close();
        } finally {
            database.close();
        }
    }

    @Test
    void aSidecarOfAReplicaCutOffFromTheDatabaseGoesStaleInsteadOfMissingAnotherReplicasRevocation()
            throws Exception {
        String proxied = database.url().replace(TestDatabase.POSTGRES_HOST, "127.0.0.1:" + proxy.port());
        AuthorityNode a = cluster.startAuthority("replica-a", ChildProcess.freePort(), dir.resolve("data-a"),
                List.of("--demo", "--db-url", database.url(), "--db-user", database.user()));
        AuthorityNode b = cluster.startAuthority("replica-b", ChildProcess.freePort(), dir.resolve("data-b"),
                List.of("--db-url", proxied, "--db-user", database.user()));
        SidecarNode sidecar = cluster.startSidecar("sidecar", b.port, a.sidecarSecretFile(), null,
                List.of("--max-staleness", MAX_STALENESS.toSeconds() + "s", "--stale-policy", "fail-closed"));
        sidecar.awaitServing();
        String admin = a.adminToken();
        TokenPair alice = a.login(AuthorityFixture.ALICE);
        assertThat(sidecar.validate(alice.getAccessToken()).getValid()).isTrue();

        proxy.cut();
        long cutAt = System.currentTimeMillis();
        // The sidecar's host stalls across the revocation too (SIGSTOP): on waking it must judge its
        // freshness by the replica's last read, not by the heartbeats that queued up meanwhile.
        sidecar.process.pause();
        a.revokeSession(admin, alice.getSessionId());
        Thread.sleep(2_000);
        sidecar.process.resume();

        List<ValidateResponse> validWhileCut = new ArrayList<>();
        ValidateResponse stale = sidecar.awaitValidation(alice.getAccessToken(),
                "the sidecar of the cut-off replica to fail closed", r -> {
                    if (r.getValid()) {
                        validWhileCut.add(r);
                    }
                    return !r.getValid();
                });
        long deniedAt = System.currentTimeMillis();
        assertThat(stale.getReason()).as("%s", stale).isEqualTo(DENIAL_REASON_FEED_STALE);
        // Every "valid" was within max staleness of B's last read before the cut, which a
        // heartbeat interval and a poll before it bound: never later than that.
        assertThat(deniedAt - cutAt).as("time from the cut to failing closed")
                .isLessThan(MAX_STALENESS.plusSeconds(5).toMillis());
        assertThat(validWhileCut).allSatisfy(r -> assertThat(r.getFeedAgeMs()).isLessThanOrEqualTo(MAX_STALENESS.toMillis()));
        assertThat(b.process.isAlive()).isTrue();

        proxy.restore();
        sidecar.awaitDenial(alice.getAccessToken(), DENIAL_REASON_SESSION_REVOKED,
                "the revocation to reach the sidecar once its replica reads the database again");
    }
}
