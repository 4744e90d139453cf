package dev.tokenauthority.authority.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLogStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the sidecars table says of a sidecar that resubscribed, here or on another replica: the row its open stream
 * wrote stands, and the end of its previous stream does not mark it gone. Other replicas count a sidecar in a wait only
 * while its row says it is connected, so a row wrongly marked gone makes their answers leave out a connected sidecar
 * (G25).
 */
abstract class SidecarRowsContract {

    private static final Duration WAIT_LIMIT = Duration.ofSeconds(10);

    AuthorityFixture authority;
    /** A second replica's fleet over the same database. */
    SidecarFleet otherReplica;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        authority = new AuthorityFixture(kind());
        otherReplica = new SidecarFleet(authority.authority.transactor(), "replica-b", true, authority.clock);
        otherReplica.start();
    }

    @AfterEach
    void stop() throws Exception {
        otherReplica.close();
        authority.close();
    }

    private Optional<SidecarRecord> row(String sidecarId) {
        return authority.authority.transactor().read(tx -> tx.store(SidecarStore.class)
                .seenSince(authority.clock.instant().minus(SidecarFleet.LISTED_FOR), FleetLister.LIMIT))
                .stream().filter(row -> row.sidecarId().equals(sidecarId)).findFirst();
    }

    private SidecarRecord rowWritten(String sidecarId, String replica) {
        return Eventually.untilAccepted(WAIT_LIMIT, sidecarId + " written by " + replica, () -> row(sidecarId),
                row -> row.isPresent() && row.get().replica().equals(replica) && row.get().disconnectedAt() == null)
                .orElseThrow();
    }

    /** A stream of {@code sidecarId} on {@code fleet} that reported a position, once its row is written. */
    private SidecarFleet.Connection reporting(SidecarFleet fleet, String sidecarId) {
        SidecarFleet.Connection connection = fleet.connected(sidecarId, "demo-sidecar", "10.0.0.1");
        connection.acknowledged(0);
        rowWritten(sidecarId, fleet.replica());
        return connection;
    }

    /** Lets the writers of both replicas run several times. */
    private static void letTheWritersRun() throws InterruptedException {
        Thread.sleep(SidecarFleet.WRITE_DELAY.toMillis() * 10);
    }

    @Test
    void aSidecarThatResubscribesAtOnceStaysConnectedInTheTable() throws Exception {
        SidecarFleet fleet = authority.authority.fleet();
        SidecarFleet.Connection first = reporting(fleet, "resubscriber");

        // The stream broke and the sidecar resubscribed at once (a missed event does that): one burst, one write.
        first.close();
        fleet.connected("resubscriber", "demo-sidecar", "10.0.0.1").acknowledged(0);
        letTheWritersRun();

        assertThat(row("resubscriber")).get().satisfies(row -> {
            assertThat(row.disconnectedAt()).as("listed as gone while connected").isNull();
            assertThat(row.replica()).isEqualTo(fleet.replica());
        });
    }

    @Test
    void aSidecarThatMovedToAnotherReplicaIsNotMarkedGoneWhenItsOldStreamEnds() throws Exception {
        SidecarFleet fleet = authority.authority.fleet();
        SidecarFleet.Connection old = reporting(fleet, "mover");

        // It moved to the other replica before this one noticed its stream ended (a cut connection).
        reporting(otherReplica, "mover");
        old.close();
        letTheWritersRun();

        assertThat(row("mover")).get().satisfies(row -> {
            assertThat(row.replica()).isEqualTo("replica-b");
            assertThat(row.disconnectedAt()).as("listed as gone while connected to replica-b").isNull();
        });
    }

    @Test
    void aListingOfTwoThousandSidecarsEachAtItsOwnPositionGivesEachItsLag() {
        Instant now = authority.clock.instant();
        long head = authority.authority.transactor().inTransaction(tx -> {
            RevocationLogStore log = tx.store(RevocationLogStore.class);
            log.bumpSequenceBy(2_001);
            long last = log.lastSequence();
            log.insertAll(last - 2_000, 1L << 40, now.minusSeconds(10), RevocationKind.TOKEN.name(),
                    LongStream.rangeClosed(0, 2_000).mapToObj(i -> "token-" + i).toList(), now, now.plusSeconds(3600),
                    null);
            return last;
        });
        List<SidecarRecord> fleet = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) {
            fleet.add(new SidecarRecord("many-" + i, "demo-sidecar", "10.1.0.1", "replica-c", "dev", now, now,
                    head - i, null));
        }
        authority.authority.transactor().useTransaction(tx -> tx.store(SidecarStore.class).save(fleet));
        FleetLister lister = new FleetLister(authority.authority.fleet(), () -> head);

        long started = System.nanoTime();
        FleetListing listing = lister.list();
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(listing.sidecars()).hasSize(2_000).allSatisfy(listed -> {
            assertThat(listed.lagEntries()).isEqualTo(head - listed.sidecar().appliedSequence());
            assertThat(listed.lagMillis()).isEqualTo(10_000);
            assertThat(listed.state()).isEqualTo(SidecarState.LAGGING);
        });
        // A read of the log per position took 1.8-1.9 s here (the console reads the fleet every 2 s); now ~0.2-0.5 s.
        assertThat(millis).as("ms to list 2,000 sidecars at 2,000 positions").isLessThan(1_200);
    }

    @Test
    void sidecarsThatLeftDoNotCrowdAConnectedSidecarOutOfAWaitOrTheListing() {
        Instant now = authority.clock.instant();
        // Subscriptions opened and closed under ids of their own (any holder of the feed credentials can): each
        // leaves a row, more recently seen than a connected sidecar's, which its replica rewrites every 5 s.
        List<SidecarRecord> churn = new ArrayList<>();
        for (int i = 0; i < FleetLister.LIMIT; i++) {
            churn.add(new SidecarRecord("churn-" + i, "demo-sidecar", "10.2.0.1", "replica-c", "dev", now, now, 0,
                    now));
        }
        authority.authority.transactor().useTransaction(tx -> tx.store(SidecarStore.class).save(List.of(
                new SidecarRecord("behind-on-c", "demo-sidecar", "10.2.0.2", "replica-c", "dev", now.minusSeconds(60),
                        now.minusSeconds(3), 0, null))));
        authority.authority.transactor().useTransaction(tx -> tx.store(SidecarStore.class).save(churn));

        SidecarsApplied applied = new AppliedWait(authority.authority.fleet()).await(1, Duration.ofMillis(100));

        assertThat(applied.connected()).as("behind-on-c is connected").isEqualTo(1);
        assertThat(applied.applied()).isZero();
        assertThat(applied.timedOut()).isTrue();
        assertThat(new FleetLister(authority.authority.fleet(), () -> 1).list().sidecars())
                .as("listed among the first %d", FleetLister.LIMIT)
                .anySatisfy(listed -> assertThat(listed.sidecar().sidecarId()).isEqualTo("behind-on-c"));
    }

    @Test
    void aSidecarThatLeftForGoodIsMarkedGone() {
        SidecarFleet fleet = authority.authority.fleet();
        SidecarFleet.Connection leaving = reporting(fleet, "leaver");

        leaving.close();

        Eventually.until(WAIT_LIMIT, "leaver written as gone",
                () -> row("leaver").map(row -> row.disconnectedAt() != null).orElse(false));
    }
}
