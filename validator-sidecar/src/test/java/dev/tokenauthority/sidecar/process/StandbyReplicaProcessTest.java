package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_FEED_STALE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL hot standby ({@link PostgresStandby}): a primary authority process on the primary,
 * a {@code --feed-only} authority process on the standby, and a sidecar process following only the
 * feed-only one. A revocation on the primary reaches the sidecar through the standby; calls that write
 * are refused by the feed-only replica; and when the standby stops replaying ({@code
 * pg_wal_replay_pause()}) while the primary commits a revocation, the feed-only replica keeps its
 * streams and heartbeats going but vouches for nothing newer, so the sidecar fails closed instead of
 * answering "valid" for the revoked token; once replay resumes, the revocation arrives.
 *
 * <p>Proves G17 of docs/guarantees.md. With a feed-only replica vouching by its own clock (as a
 * primary's feed does), the sidecar stayed fresh and valid for the revoked token for as long as
 * replay was paused.
 */
class StandbyReplicaProcessTest {

    private static final Duration MAX_STALENESS = Duration.ofSeconds(4);
    private static final Duration REPLAY_LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private PostgresStandby postgres;
    private LoopbackCluster cluster;

    @BeforeEach
    void start() {
        postgres = PostgresStandby.start();
        cluster = new LoopbackCluster(dir);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void aFeedOnlyReplicaOnAStandbyStreamsThePrimarysRevocationsRefusesWritesAndGoesStaleWhenReplayStops()
            throws Exception {
        AuthorityNode primary = cluster.startAuthority("primary", ChildProcess.freePort(), dir.resolve("data-primary"),
                List.of("--demo", "--db-url", postgres.primaryUrl(), "--db-user", postgres.user()));
        postgres.awaitReplayed(REPLAY_LIMIT);
        AuthorityNode feedOnly = cluster.startAuthority("feed-only", ChildProcess.freePort(),
                dir.resolve("data-feed-only"),
                List.of("--feed-only", "--db-url", postgres.standbyUrl(), "--db-user", postgres.user()));
        SidecarNode sidecar = cluster.startSidecar("sidecar", feedOnly.port, primary.sidecarSecretFile(), null,
                List.of("--max-staleness", MAX_STALENESS.toSeconds() + "s", "--stale-policy", "fail-closed"));
        sidecar.awaitServing();
        String admin = primary.adminToken();
        TokenPair alice = primary.login(AuthorityFixture.ALICE);
        TokenPair bob = primary.login(AuthorityFixture.BOB);
        sidecar.awaitValidation(alice.getAccessToken(), "alice's token, signed by the primary, to validate",
                ValidateResponse::getValid);

        assertRefused(() -> feedOnly.login(AuthorityFixture.ALICE));
        assertRefused(() -> feedOnly.revokeSession(admin, bob.getSessionId()));
        assertThat(KeyServiceGrpc.newBlockingStub(feedOnly.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson()).contains("\"kid\"");

        primary.revokeSession(admin, alice.getSessionId());
        sidecar.awaitDenial(alice.getAccessToken(), DENIAL_REASON_SESSION_REVOKED,
                "the primary's revocation to reach the sidecar through the standby");
        assertThat(sidecar.validate(bob.getAccessToken()).getValid()).isTrue();

        postgres.pauseReplay();
        long pausedAt = System.currentTimeMillis();
        primary.revokeSession(admin, bob.getSessionId());
        List<ValidateResponse> validWhilePaused = new ArrayList<>();
        ValidateResponse stale = sidecar.awaitValidation(bob.getAccessToken(),
                "the sidecar of the feed-only replica to fail closed while its standby does not replay", r -> {
                    if (r.getValid()) {
                        validWhilePaused.add(r);
                    }
                    return !r.getValid();
                });
        long deniedAt = System.currentTimeMillis();
        // The standby never replayed the revocation: only the stopped vouch can deny it.
        assertThat(stale.getReason()).as("%s", stale).isEqualTo(DENIAL_REASON_FEED_STALE);
        assertThat(deniedAt - pausedAt).as("time from the pause to failing closed")
                .isLessThan(MAX_STALENESS.plusSeconds(5).toMillis());
        assertThat(validWhilePaused)
                .allSatisfy(r -> assertThat(r.getFeedAgeMs()).isLessThanOrEqualTo(MAX_STALENESS.toMillis()));
        assertThat(feedOnly.process.isAlive()).isTrue();

        postgres.resumeReplay();
        sidecar.awaitDenial(bob.getAccessToken(), DENIAL_REASON_SESSION_REVOKED,
                "the revocation to reach the sidecar once the standby replays again");
    }

    private static void assertRefused(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("feed-only").contains("call a primary replica");
        });
    }
}
