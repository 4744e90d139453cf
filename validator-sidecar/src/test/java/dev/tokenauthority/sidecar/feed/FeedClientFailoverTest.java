package dev.tokenauthority.sidecar.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.Heartbeat;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SnapshotBegin;
import dev.tokenauthority.api.v1.SnapshotEnd;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.MutableClock;
import dev.tokenauthority.sidecar.feed.AuthorityReplicas.Replica;
import dev.tokenauthority.sidecar.feed.FeedClient.FailoverCause;
import dev.tokenauthority.sidecar.state.TokenIds;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.testing.FeedEntries;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed client over three in-process replicas on one log, with a clock the test moves: which
 * replica its stream is on, and when it leaves one. A replica that keeps its stream open and keeps
 * sending heartbeats, but whose {@code log_read_at} stands still, must be left once the failover
 * bound has passed on the sidecar's clock, and not before; the client resumes on the next replica
 * from its position, without a snapshot.
 *
 * <p>Proves G15 of docs/guarantees.md (with {@code ReplicaFailoverProcessTest}).
 */
class FeedClientFailoverTest {

    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(5);
    private static final Instant LATER = Instant.now().plus(Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(Instant.now());
    private final InMemoryRevocationState state = new InMemoryRevocationState();
    private final FeedFreshness freshness = new FeedFreshness(clock, Duration.ofSeconds(30));
    private final List<FakeReplica> replicas = new ArrayList<>();
    private FeedClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        replicas.forEach(FakeReplica::close);
    }

    @Test
    void aReplicaWhoseHeartbeatsStopAdvancingLogReadAtIsLeftAfterTheBoundAndNotBefore() throws Exception {
        FakeReplica a = replica("a");
        FakeReplica b = replica("b");
        start();
        await(() -> a.streams.size() == 1, "a subscription to the first replica");
        Instant readAt = clock.instant();
        a.sendSnapshot(3, 103, readAt);
        a.heartbeat(3, readAt);
        assertThat(state.appliedSequence()).isEqualTo(3);

        // The replica goes on sending heartbeats, but each names the same read of the log.
        for (int second = 1; second <= 5; second++) {
            clock.advance(Duration.ofSeconds(1));
            a.heartbeat(3, readAt);
        }
        Thread.sleep(500); // several of the client's checks
        assertThat(b.streams).as("still within the bound: the client stays").isEmpty();
        assertThat(client.currentReplica()).isEqualTo("a");

        clock.advance(Duration.ofMillis(200));
        await(() -> b.streams.size() == 1, "the client to move to the next replica");
        assertThat(client.failovers(FailoverCause.STOPPED_VOUCHING)).isEqualTo(1);
        assertThat(b.requests.get(0).getAfterSequence()).as("it resumes from its position").isEqualTo(3);
        assertThat(b.requests.get(0).getAfterEntryId()).isEqualTo(103);

        assertThat(((ServerCallStreamObserver<FeedMessage>) a.streams.get(0)).isCancelled())
                .as("the abandoned stream is cancelled, so nothing more of it is applied").isTrue();
        b.event(4, 3, 204, "ses_from_b");
        b.heartbeat(4, clock.instant());
        assertThat(state.appliedEntryId()).isEqualTo(204);
        assertThat(state.revocationReason(new TokenIds("", "ses_from_b", ""), 0)).isPresent();
        assertThat(client.snapshotsApplied()).as("no snapshot on the new replica").isEqualTo(1);
        assertThat(freshness.ageMillis()).isZero();
    }

    @Test
    void aReplicaWhoseLogReadAtAdvancesIsKeptHoweverLongItRuns() throws Exception {
        FakeReplica a = replica("a");
        FakeReplica b = replica("b");
        start();
        await(() -> a.streams.size() == 1, "a subscription to the first replica");
        a.sendSnapshot(3, 103, clock.instant());
        for (int second = 1; second <= 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            a.heartbeat(3, clock.instant().minusMillis(300));
            if (second % 10 == 0) {
                Thread.sleep(150);
            }
        }
        assertThat(b.streams).isEmpty();
        assertThat(client.failovers(FailoverCause.STOPPED_VOUCHING)).isZero();
        assertThat(freshness.isFresh()).isTrue();
    }

    @Test
    void aReplicaThatNeverAnswersTheSubscriptionIsLeftAfterTheBoundToo() throws Exception {
        FakeReplica a = replica("a");
        FakeReplica b = replica("b");
        start();
        await(() -> a.streams.size() == 1, "a subscription to the first replica");
        clock.advance(FAILOVER_AFTER.plusMillis(1));
        await(() -> b.streams.size() == 1, "the client to leave a replica that says nothing at all");
        assertThat(client.failovers(FailoverCause.STOPPED_VOUCHING)).isEqualTo(1);
        assertThat(b.requests.get(0).getAfterSequence()).as("nothing applied yet: a snapshot").isZero();
    }

    @Test
    void aReplicaThatGoesDownIsLeftAtOnceForTheNextInOrderWrappingRound() throws Exception {
        FakeReplica a = replica("a");
        FakeReplica b = replica("b");
        FakeReplica c = replica("c");
        start();
        await(() -> a.streams.size() == 1, "a subscription to the first replica");
        a.sendSnapshot(3, 103, clock.instant());

        a.streams.get(0).onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
        await(() -> b.streams.size() == 1, "the client to move from a to b");
        assertThat(b.requests.get(0).getAfterSequence()).isEqualTo(3);
        b.event(4, 3, 104, "ses_4");

        b.streams.get(0).onCompleted(); // a replica shutting down ends its streams
        await(() -> c.streams.size() == 1, "the client to move from b to c");
        assertThat(c.requests.get(0).getAfterSequence()).isEqualTo(4);
        assertThat(c.requests.get(0).getAfterEntryId()).isEqualTo(104);

        c.streams.get(0).onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
        await(() -> a.streams.size() == 2, "the client to wrap round to a");
        assertThat(client.failovers(FailoverCause.STREAM_ENDED)).isEqualTo(3);
        assertThat(client.snapshotsApplied()).isEqualTo(1);
    }

    /** What a replica's stream ends with when the replica shuts down (the authority's wording, see feed.proto). */
    private static final io.grpc.Status SHUTTING_DOWN = io.grpc.Status.UNAVAILABLE.withDescription(
            "authority shutting down: subscribe to another replica");

    @Test
    void aReplicaSayingItShutsDownIsLeftAtOnceEvenWhenTheBackoffHasGrownLong() throws Exception {
        FakeReplica a = replica("a");
        FakeReplica b = replica("b");
        start();
        await(() -> a.streams.size() == 1, "a subscription to the first replica");
        // Six broken streams without a message in between: the backoff's ceiling is now its cap (5 s).
        for (int failure = 1; failure <= 6; failure++) {
            FakeReplica on = failure % 2 == 1 ? a : b;
            FakeReplica next = failure % 2 == 1 ? b : a;
            int before = next.streams.size();
            on.latest().onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
            await(() -> next.streams.size() == before + 1, "the client to move on after failure " + failure);
        }
        assertThat(client.currentReplica()).isEqualTo("a");

        // A wait drawn from [0, 5 s] would be under a second three times running less than once in a hundred.
        for (int round = 1; round <= 3; round++) {
            FakeReplica on = round % 2 == 1 ? a : b;
            FakeReplica next = round % 2 == 1 ? b : a;
            int before = next.streams.size();
            long ended = System.nanoTime();
            on.latest().onError(SHUTTING_DOWN.asRuntimeException());
            await(() -> next.streams.size() == before + 1, "the client to move on from a replica shutting down");
            assertThat(Duration.ofNanos(System.nanoTime() - ended)).as("moved without its backoff, round " + round)
                    .isLessThan(Duration.ofSeconds(1));
        }
        assertThat(client.failovers(FailoverCause.STREAM_ENDED)).isEqualTo(9);
    }

    @Test
    void aSingleReplicaSayingItShutsDownIsResubscribedToFromThePosition() throws Exception {
        FakeReplica only = replica("only");
        start();
        await(() -> only.streams.size() == 1, "a subscription");
        only.sendSnapshot(3, 103, clock.instant());

        only.latest().onError(SHUTTING_DOWN.asRuntimeException());
        await(() -> only.streams.size() == 2, "the client to subscribe again to the only replica");
        assertThat(only.requests.get(1).getAfterSequence()).isEqualTo(3);
        assertThat(client.failovers(FailoverCause.STREAM_ENDED)).as("nowhere else to go").isZero();
    }

    private FakeReplica replica(String name) throws IOException {
        FakeReplica replica = new FakeReplica(name);
        replicas.add(replica);
        return replica;
    }

    private void start() {
        client = new FeedClient(new AuthorityReplicas(replicas.stream().map(r -> new Replica(r.name, r.channel)).toList()),
                FAILOVER_AFTER, "test", "demo-sidecar", "secret", state, freshness, clock);
        client.start();
    }

    private static void await(BooleanSupplier condition, String what) {
        Eventually.until(Duration.ofSeconds(10), what, condition);
    }

    /** A replica that keeps every subscription open and sends only what the test tells it to. */
    private static final class FakeReplica {
        final String name;
        final List<SubscribeRequest> requests = new CopyOnWriteArrayList<>();
        final List<StreamObserver<FeedMessage>> streams = new CopyOnWriteArrayList<>();
        final Server server;
        final ManagedChannel channel;

        FakeReplica(String name) throws IOException {
            this.name = name;
            String serverName = InProcessServerBuilder.generateName();
            server = InProcessServerBuilder.forName(serverName).directExecutor()
                    .addService(new RevocationFeedServiceGrpc.RevocationFeedServiceImplBase() {
                        @Override
                        public void subscribe(SubscribeRequest request, StreamObserver<FeedMessage> stream) {
                            requests.add(request);
                            streams.add(stream);
                        }
                    }).build().start();
            channel = InProcessChannelBuilder.forName(serverName).directExecutor().build();
        }

        private StreamObserver<FeedMessage> latest() {
            return streams.get(streams.size() - 1);
        }

        void sendSnapshot(long sequence, long entryId, Instant takenAt) {
            latest().onNext(FeedMessage.newBuilder().setSnapshotBegin(SnapshotBegin.newBuilder().setSequence(sequence)
                    .setGeneratedAt(FeedEntries.timestamp(takenAt))).build());
            latest().onNext(FeedMessage.newBuilder().setSnapshotEnd(SnapshotEnd.newBuilder().setSequence(sequence)
                    .setEntryId(entryId)).build());
        }

        void heartbeat(long sequence, Instant logReadAt) {
            latest().onNext(FeedMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSequence(sequence)
                    .setLogReadAt(FeedEntries.timestamp(logReadAt))
                    .setServerTime(FeedEntries.timestamp(logReadAt))).build());
        }

        void event(long sequence, long previous, long entryId, String sessionId) {
            latest().onNext(FeedMessage.newBuilder().setEvent(FeedEvent.newBuilder().setSequence(sequence)
                    .setPreviousSequence(previous).setEntryId(entryId)
                    .setEntry(FeedEntries.revokedSession(sessionId, LATER))).build());
        }

        void close() {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }
}
