package dev.tokenauthority.sidecar.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SnapshotBegin;
import dev.tokenauthority.api.v1.SnapshotChunk;
import dev.tokenauthority.api.v1.SnapshotEnd;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.state.TokenIds;
import dev.tokenauthority.sidecar.testing.FeedEntries;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed client against an authority that sends what the state cannot take (a poison event, a
 * poison snapshot): it must not resubscribe forever at the same position, nor skip the message.
 *
 * <p>Proves G6 of docs/guarantees.md.
 */
class FeedClientResyncTest {

    private static final Instant LATER = Instant.now().plus(Duration.ofHours(1));
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(20);

    private final List<SubscribeRequest> requests = new CopyOnWriteArrayList<>();
    private final InMemoryRevocationState state = new InMemoryRevocationState();
    private final FeedFreshness freshness = new FeedFreshness(Clock.systemUTC(), Duration.ofSeconds(30));
    private Server server;
    private ManagedChannel channel;
    private FeedClient client;

    @AfterEach
    void stop() {
        client.close();
        channel.shutdownNow();
        server.shutdownNow();
    }

    /** G6: an event the sidecar cannot apply leads to a fresh snapshot, counted, not to an endless resubscribe. */
    @Test
    void aPoisonEventLeadsToAFreshSnapshotInsteadOfResubscribingAtTheSamePosition() throws Exception {
        start((request, stream) -> {
            if (requests.size() == 1) {
                sendSnapshot(stream, 1, 101, FeedEntries.revokedSession("ses_before", LATER));
                // An entry with nothing in it: what a newer authority's unknown kind of entry looks like here.
                stream.onNext(FeedMessage.newBuilder().setEvent(FeedEvent.newBuilder().setSequence(2)
                        .setPreviousSequence(1).setEntryId(102).setEntry(RevocationEntry.getDefaultInstance())).build());
            } else {
                sendSnapshot(stream, 3, 103, FeedEntries.revokedSession("ses_after", LATER));
            }
        });

        awaitApplied(3);

        assertThat(requests.get(1).getAfterSequence()).as("the second subscription asks for a snapshot").isZero();
        assertThat(client.resyncs(FeedClient.ResyncCause.POISON_MESSAGE)).isEqualTo(1);
        assertThat(state.revocationReason(new TokenIds("", "ses_after", ""), 0)).isPresent();
        assertThat(state.appliedEntryId()).isEqualTo(103);
    }

    @Test
    void aPoisonSnapshotLeavesTheStateAsItWasAndIsRetriedWithBackoff() throws Exception {
        start((request, stream) -> {
            if (requests.size() == 1) {
                sendSnapshot(stream, 1, 101, FeedEntries.revokedSession("ses_before", LATER));
                stream.onCompleted();
            } else if (requests.size() == 2) {
                sendSnapshot(stream, 2, 102, RevocationEntry.getDefaultInstance());
            } else {
                sendSnapshot(stream, 3, 103, FeedEntries.revokedSession("ses_after", LATER));
            }
        });
        // The first stream ends; the second is poisoned; the third heals.
        awaitApplied(3);

        assertThat(requests).extracting(SubscribeRequest::getAfterSequence).startsWith(0L, 1L, 0L);
        assertThat(client.resyncs(FeedClient.ResyncCause.POISON_MESSAGE)).isEqualTo(1);
    }

    @Test
    void aResumingClientSendsTheEntryIdOfItsPosition() throws Exception {
        start((request, stream) -> {
            if (requests.size() == 1) {
                sendSnapshot(stream, 4, 104);
                stream.onNext(FeedMessage.newBuilder().setEvent(FeedEvent.newBuilder().setSequence(5)
                        .setPreviousSequence(4).setEntryId(105)
                        .setEntry(FeedEntries.revokedSession("ses_5", LATER))).build());
                stream.onCompleted();
            }
        });
        awaitRequests(2);

        assertThat(requests.get(1).getAfterSequence()).isEqualTo(5);
        assertThat(requests.get(1).getAfterEntryId()).isEqualTo(105);
    }

    private void start(BiConsumer<SubscribeRequest, StreamObserver<FeedMessage>> authority) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new RevocationFeedServiceGrpc.RevocationFeedServiceImplBase() {
                    @Override
                    public void subscribe(SubscribeRequest request, StreamObserver<FeedMessage> stream) {
                        requests.add(request);
                        authority.accept(request, stream);
                    }
                }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        client = new FeedClient(channel, "test", "demo-sidecar", "secret", state, freshness, Clock.systemUTC());
        client.start();
    }

    private static void sendSnapshot(StreamObserver<FeedMessage> stream, long sequence, long entryId,
            RevocationEntry... entries) {
        stream.onNext(FeedMessage.newBuilder().setSnapshotBegin(SnapshotBegin.newBuilder().setSequence(sequence)).build());
        stream.onNext(FeedMessage.newBuilder().setSnapshotChunk(SnapshotChunk.newBuilder()
                .addAllEntries(List.of(entries))).build());
        stream.onNext(FeedMessage.newBuilder().setSnapshotEnd(SnapshotEnd.newBuilder().setSequence(sequence)
                .setEntryId(entryId).setEntryCount(entries.length)).build());
    }

    private void awaitApplied(long sequence) {
        Eventually.until(WAIT_LIMIT, "the client to apply sequence " + sequence, () -> state.appliedSequence() >= sequence,
                () -> "requests: " + requests);
        assertThat(state.appliedSequence()).as("applied sequence after %s", requests).isEqualTo(sequence);
    }

    private void awaitRequests(int count) {
        Eventually.until(WAIT_LIMIT, count + " subscription requests", () -> requests.size() >= count,
                () -> "requests: " + requests);
    }
}
