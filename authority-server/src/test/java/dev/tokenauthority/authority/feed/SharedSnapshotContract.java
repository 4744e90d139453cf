package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tokenauthority.api.IdHasher;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.HashedEntries;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SnapshotEnd;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hashed snapshots, read and encoded once and shared by every subscriber that needs one, through real gRPC on H2 and
 * PostgreSQL. Proves G16 of docs/guarantees.md.
 */
abstract class SharedSnapshotContract extends RevocationFeedContractBase {

    @Test
    void subscribersThatNeedASnapshotAtOnceShareOneReadAndEncoding() throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String session = fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId();
            revokeSession(session);
            sessions.add(session);
        }
        String bob = fx.user(AuthorityFixture.BOB).id();
        long head = fx.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(bob).build())
                .getFeedSequence();

        ExecutorService subscribers = Executors.newFixedThreadPool(8);
        List<Future<List<FeedMessage>>> received = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            received.add(subscribers.submit(() -> snapshot(subscribeHashed(0, 0))));
        }
        List<List<FeedMessage>> snapshots = new ArrayList<>();
        for (Future<List<FeedMessage>> snapshot : received) {
            snapshots.add(snapshot.get(30, TimeUnit.SECONDS));
        }
        subscribers.shutdown();

        Set<ByteString> keys = snapshots.stream().map(s -> s.get(0).getSnapshotBegin().getIdHashKey())
                .collect(Collectors.toSet());
        assertThat(keys).as("one build (each draws its own key) for all eight").hasSize(1);
        List<FeedMessage> snapshot = snapshots.get(0);
        assertThat(snapshot.get(snapshot.size() - 1).getSnapshotEnd().getSequence()).isEqualTo(head);
        assertThat(snapshot.get(snapshot.size() - 1).getSnapshotEnd().getEntryCount()).isEqualTo(21);
        assertThat(snapshot.get(1).getSnapshotChunk().getEntries(0).getSigningKeys().getJwksJson()).contains("Ed25519");

        IdHasher hasher = IdHasher.fromKey(keys.iterator().next().toByteArray());
        HashedEntries hashed = hashedEntries(snapshot);
        assertThat(hashed.getRevokedSessionHashesList())
                .containsExactlyElementsOf(sessions.stream().map(hasher::hash).toList());
        LogRow watermark = logRows().stream().filter(r -> r.kind().equals(RevocationKind.USER_WATERMARK.name()))
                .findFirst().orElseThrow();
        assertThat(hashed.getWatermarkUserHashesList()).containsExactly(hasher.hash(bob));
        long micros = watermark.effectiveAt().getEpochSecond() * 1_000_000 + watermark.effectiveAt().getNano() / 1000;
        assertThat(hashed.getBaseSecond() * 1_000_000 + hashed.getWatermarkInvalidatedOffsetsMicros(0)).isEqualTo(micros);
        assertThat(hashed.getBaseSecond() + hashed.getRevokedSessionExpiryOffsets(0))
                .isEqualTo(logRows().get(0).expiresAt().getEpochSecond());

        long entryBytes = snapshot.stream().filter(FeedMessage::hasSnapshotChunk)
                .mapToLong(m -> m.getSnapshotChunk().getHashedEntries().size()).sum();
        assertThat(entryBytes / 21.0).as("bytes per entry on the wire").isLessThanOrEqualTo(16);
    }

    /**
     * A subscriber that had state newer than the shared snapshot must never swap it for the older one: the entries
     * after the shared part come inside the same snapshot, which ends at the log's end when it subscribed.
     */
    @Test
    void aSharedSnapshotOlderThanTheLogIsExtendedWithTheEntriesAfterItInsideTheSameSnapshot() {
        long first = revokeSession(fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId());
        List<FeedMessage> built = snapshot(subscribeHashed(0, 0));
        assertThat(built.get(built.size() - 1).getSnapshotEnd().getSequence()).isEqualTo(first);
        String later = fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId();
        long second = revokeSession(later);
        String kid = fx.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build())
                .getKid();
        long third = fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).head()).sequence();

        Iterator<FeedMessage> stream = subscribeHashed(0, 0);
        List<FeedMessage> reused = snapshot(stream);
        assertThat(reused.get(0).getSnapshotBegin().getIdHashKey())
                .isEqualTo(built.get(0).getSnapshotBegin().getIdHashKey());
        assertThat(reused.get(0).getSnapshotBegin().getSequence()).isEqualTo(first);
        SnapshotEnd end = reused.get(reused.size() - 1).getSnapshotEnd();
        assertThat(end.getSequence()).isEqualTo(third);
        assertThat(end.getEntryId()).isEqualTo(entryIdAt(third));
        List<RevocationEntry> inFull = reused.stream().flatMap(m -> m.getSnapshotChunk().getEntriesList().stream())
                .toList();
        assertThat(inFull).anySatisfy(e -> assertThat(e.getRevokedSession().getSessionId()).isEqualTo(later));
        assertThat(inFull.get(inFull.size() - 1).getSigningKeys().getJwksJson()).as("the rotated key set, last")
                .contains(kid);
        assertThat(end.getEntryCount()).isEqualTo(3);
        assertThat(stream.next().getHeartbeat().getSequence()).as("fresh at once").isEqualTo(third);
        assertThat(second).isLessThan(third);
    }

    /** An entry from before entry ids (0) cannot be checked; a snapshot ending there is built for each subscriber. */
    @Test
    void aSnapshotEndingAtAnEntryWithoutAnIdIsStillServed() {
        long last = revokeSession(fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId());
        fx.db.jdbi().useHandle(h -> h.createUpdate("UPDATE revocation_log SET entry_id = 0 WHERE sequence = :s")
                .bind("s", last).execute());

        List<FeedMessage> first = snapshot(subscribeHashed(0, 0));
        List<FeedMessage> second = snapshot(subscribeHashed(0, 0));

        assertThat(first.get(first.size() - 1).getSnapshotEnd().getSequence()).isEqualTo(last);
        assertThat(second.get(second.size() - 1).getSnapshotEnd().getSequence()).isEqualTo(last);
    }

    @Test
    void aSharedSnapshotIsReadAgainOnceItsReuseWindowHasPassed() {
        revokeSession(fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId());
        ByteString first = snapshot(subscribeHashed(0, 0)).get(0).getSnapshotBegin().getIdHashKey();

        fx.clock.advance(SharedSnapshots.REUSE.plus(Duration.ofSeconds(1)));

        assertThat(snapshot(subscribeHashed(0, 0)).get(0).getSnapshotBegin().getIdHashKey()).isNotEqualTo(first);
    }

    /** G2 holds for shared snapshots too: one whose position a log that went back no longer holds is not handed out. */
    @Test
    void aSharedSnapshotWhosePositionTheLogLostIsNotHandedOut() {
        long kept = revokeSession(fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId());
        long lost = revokeSession(fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId());
        List<FeedMessage> before = snapshot(subscribeHashed(0, 0));
        assertThat(before.get(before.size() - 1).getSnapshotEnd().getSequence()).isEqualTo(lost);

        rollLogBackTo(kept);
        String afterRestore = fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId();
        assertThat(revokeSession(afterRestore)).isEqualTo(lost);

        List<FeedMessage> after = snapshot(subscribeHashed(0, 0));
        assertThat(after.get(0).getSnapshotBegin().getIdHashKey()).isNotEqualTo(before.get(0).getSnapshotBegin()
                .getIdHashKey());
        assertThat(after.get(after.size() - 1).getSnapshotEnd().getEntryId()).isEqualTo(entryIdAt(lost));
        IdHasher hasher = IdHasher.fromKey(after.get(0).getSnapshotBegin().getIdHashKey().toByteArray());
        assertThat(hashedEntries(after).getRevokedSessionHashesList()).contains(hasher.hash(afterRestore));
    }

    @Test
    void aSubscriberThatDoesNotAskForTheHashedFormGetsEveryEntryInFull() {
        String session = fx.issueTo(fx.user(AuthorityFixture.ALICE).id()).getSessionId();
        revokeSession(session);
        List<FeedMessage> snapshot = snapshot(subscribe(0));
        assertThat(snapshot.get(0).getSnapshotBegin().getIdHashKey()).isEmpty();
        assertThat(snapshot).flatMap(m -> m.getSnapshotChunk().getEntriesList())
                .anySatisfy(e -> assertThat(e.getRevokedSession().getSessionId()).isEqualTo(session));
    }

    private Iterator<FeedMessage> subscribeHashed(long after, long afterEntryId) {
        return RevocationFeedServiceGrpc.newBlockingStub(fx.channel()).withDeadlineAfter(20, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setSidecarId("test").setAfterSequence(after)
                        .setAfterEntryId(afterEntryId).setAcceptsHashedSnapshot(true)
                        .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret).build());
    }

    private List<LogRow> logRows() {
        return fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).findAfter(0, 1000));
    }

    /** Every chunk's hashed entries, merged in order. */
    private static HashedEntries hashedEntries(List<FeedMessage> snapshot) {
        HashedEntries.Builder all = HashedEntries.newBuilder();
        for (FeedMessage message : snapshot) {
            if (message.hasSnapshotChunk() && !message.getSnapshotChunk().getHashedEntries().isEmpty()) {
                try {
                    all.mergeFrom(message.getSnapshotChunk().getHashedEntries());
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return all.build();
    }
}
