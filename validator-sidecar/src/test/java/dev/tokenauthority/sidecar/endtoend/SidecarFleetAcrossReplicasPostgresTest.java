package dev.tokenauthority.sidecar.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.ListSidecarsRequest;
import dev.tokenauthority.api.v1.ListSidecarsResponse;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.SidecarState;
import dev.tokenauthority.api.v1.SidecarWait;
import dev.tokenauthority.api.v1.SidecarsApplied;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.SecondReplica;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one PostgreSQL, a sidecar on each: an admin on replica A lists both and waits for both, the one on
 * B through the table B writes its sidecar's acknowledgements to.
 */
class SidecarFleetAcrossReplicasPostgresTest {

    AuthorityFixture replicaA;
    SecondReplica replicaB;
    SidecarHarness onA;
    SidecarHarness onB;

    @BeforeEach
    void start() throws Exception {
        replicaA = new AuthorityFixture(TestDatabase.Kind.POSTGRESQL);
        replicaB = new SecondReplica(replicaA);
        onA = new SidecarHarness(replicaA.channel(), "on-a", replicaA.sidecarSecret, replicaA.clock);
        onB = new SidecarHarness(replicaB.channel(), "on-b", replicaA.sidecarSecret, replicaA.clock);
        onA.awaitServing();
        onB.awaitServing();
    }

    @AfterEach
    void stop() throws Exception {
        onA.close();
        onB.close();
        replicaB.close();
        replicaA.close();
    }

    private ListSidecarsResponse listOnA() {
        return replicaA.admin(replicaA.loginAdmin().getAccessToken()).listSidecars(ListSidecarsRequest.getDefaultInstance());
    }

    @Test
    void anAdminOnOneReplicaWaitsForTheSidecarsOfEveryReplica() {
        Eventually.untilAccepted(SidecarHarness.WAIT_LIMIT, "both sidecars listed on A", this::listOnA,
                listing -> listing.getFresh() == 2);
        TokenPair alice = replicaA.login(AuthorityFixture.ALICE);

        SidecarsApplied applied = replicaA.admin(replicaA.loginAdmin().getAccessToken()).revokeSession(
                RevokeSessionRequest.newBuilder().setSessionId(alice.getSessionId())
                        .setWaitForSidecars(SidecarWait.newBuilder().setTimeout(
                                com.google.protobuf.Duration.newBuilder().setSeconds(10))).build())
                .getSidecarsApplied();

        assertThat(applied.getConnected()).isEqualTo(2);
        assertThat(applied.getApplied()).isEqualTo(2);
        assertThat(applied.getTimedOut()).isFalse();
        assertThat(onB.validate(alice.getAccessToken()).getReason())
                .as("the sidecar on the other replica enforces it when the answer says so")
                .isEqualTo(DenialReason.DENIAL_REASON_SESSION_REVOKED);
        ListSidecarsResponse listing = listOnA();
        assertThat(listing.getSidecarsList()).filteredOn(s -> s.getSidecarId().equals("on-b")).singleElement()
                .satisfies(s -> assertThat(s.getReplica()).isEqualTo(replicaB.authority.fleet().replica()));
    }

    @Test
    void aReplicaThatCannotWriteLeavesItsSidecarsListedGoneAfterTheSilenceBound() throws Exception {
        Eventually.untilAccepted(SidecarHarness.WAIT_LIMIT, "both sidecars listed on A", this::listOnA,
                listing -> listing.getFresh() == 2);
        // B loses its database: its rows stay as last written, as a replica killed with -9 leaves them...
        replicaB.database.close();
        // ...and the silence bound passes on the shared clock.
        replicaA.clock.advance(Duration.ofSeconds(16));

        ListSidecarsResponse listing = listOnA();
        assertThat(listing.getSidecarsList()).filteredOn(s -> s.getSidecarId().equals("on-b")).singleElement()
                .satisfies(s -> assertThat(s.getState()).isEqualTo(SidecarState.SIDECAR_STATE_GONE));
        SidecarsApplied applied = replicaA.admin(replicaA.loginAdmin().getAccessToken()).revokeSession(
                RevokeSessionRequest.newBuilder().setSessionId(replicaA.login(AuthorityFixture.BOB).getSessionId())
                        .setWaitForSidecars(SidecarWait.newBuilder().setTimeout(
                                com.google.protobuf.Duration.newBuilder().setSeconds(10))).build())
                .getSidecarsApplied();
        assertThat(applied.getConnected()).as("a wait does not count a sidecar whose replica went silent").isEqualTo(1);
        assertThat(applied.getApplied()).isEqualTo(1);
    }
}
