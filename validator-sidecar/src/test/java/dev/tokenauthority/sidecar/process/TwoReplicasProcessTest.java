package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two authority replicas on one PostgreSQL database, a sidecar following replica B: revocations
 * made through replica A reach it through B's feed, including one made while B was down, once B is
 * back and the sidecar has reconnected to it.
 */
class TwoReplicasProcessTest {

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
    void aRevocationThroughReplicaAReachesASidecarOnReplicaBEvenWhenMadeWhileBWasDown() throws Exception {
        List<String> db = List.of("--db-url", database.url(), "--db-user", database.user());
        // A migrates and seeds; B starts on the finished schema, as a second replica would.
        AuthorityNode a = cluster.startAuthority("replica-a", ChildProcess.freePort(), dir.resolve("data-a"),
                concat(List.of("--demo"), db));
        AuthorityNode b = cluster.startAuthority("replica-b-1", ChildProcess.freePort(), dir.resolve("data-b"), db);
        SidecarNode sidecar = cluster.startSidecar("sidecar", b.port, a.sidecarSecretFile(), null, List.of());
        sidecar.awaitServing();

        String admin = a.adminToken();
        TokenPair first = a.login(AuthorityFixture.ALICE);
        TokenPair second = a.login(AuthorityFixture.BOB);
        TokenPair untouched = a.login(AuthorityFixture.ALICE);
        assertThat(sidecar.validate(first.getAccessToken()).getValid()).as("a token from A, checked on B's feed").isTrue();

        long firstSequence = a.revokeSession(admin, first.getSessionId()).getFeedSequence();
        ValidateResponse firstDenied = sidecar.awaitDenial(first.getAccessToken(), DENIAL_REASON_SESSION_REVOKED,
                "a revocation through A to reach the sidecar through B");
        assertThat(firstDenied.getFeedSequence()).isGreaterThanOrEqualTo(firstSequence);

        b.process.kill();
        long secondSequence = a.revokeSession(admin, second.getSessionId()).getFeedSequence();
        assertThat(sidecar.validate(second.getAccessToken()).getValid())
                .as("B is down: the sidecar cannot have heard of it yet").isTrue();

        cluster.restart(b, "replica-b-2");
        ValidateResponse secondDenied = sidecar.awaitDenial(second.getAccessToken(), DENIAL_REASON_SESSION_REVOKED,
                "the revocation made while B was down to reach the sidecar once B is back");
        assertThat(secondDenied.getFeedSequence()).isGreaterThanOrEqualTo(secondSequence);
        assertThat(sidecar.validate(first.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        assertThat(sidecar.validate(untouched.getAccessToken()).getValid()).isTrue();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
