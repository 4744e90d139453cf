package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Timestamps;
import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.RevocationLogStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The revocation feed through real gRPC, on H2 and PostgreSQL.
 *
 * <p>Proves G2, G3 and G5 (the tests so marked) of docs/guarantees.md.
 */
abstract class RevocationFeedContract {

    AuthorityFixture fx;
    String admin;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.loginAdmin().getAccessToken();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    Iterator<FeedMessage> subscribe(long after) {
        return subscribe(after, 0);
    }

    Iterator<FeedMessage> subscribe(long after, long afterEntryId) {
        return RevocationFeedServiceGrpc.newBlockingStub(fx.channel()).withDeadlineAfter(20, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setSidecarId("test").setAfterSequence(after)
                        .setAfterEntryId(afterEntryId)
                        .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret).build());
    }

    /** The id of the log entry at {@code sequence}, as a subscriber would have received it. */
    long entryIdAt(long sequence) {
        return fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).entryIdAt(sequence)).orElseThrow();
    }

    /**
     * What a database restored from an older backup, or a failover to a replica that was behind,
     * does to the log: every entry after {@code sequence} is gone and its numbers will be taken
     * again.
     */
    void rollLogBackTo(long sequence) {
        fx.db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM revocation_log WHERE sequence > :s").bind("s", sequence).execute();
            h.createUpdate("UPDATE authority_state SET last_sequence = :s WHERE id = 1").bind("s", sequence).execute();
        });
    }

    /** The next message that is not a heartbeat. */
    static FeedMessage next(Iterator<FeedMessage> stream) {
        FeedMessage message = stream.next();
        while (message.hasHeartbeat()) {
            message = stream.next();
        }
        return message;
    }

    /** The next {@code count} events, whether they came alone or in runs; also checks no run is oversized. */
    static List<FeedEvent> events(Iterator<FeedMessage> stream, int count) {
        List<FeedEvent> events = new ArrayList<>();
        while (events.size() < count) {
            FeedMessage message = next(stream);
            assertThat(message.hasEvent() || message.hasEvents()).as("an event or a run of events").isTrue();
            assertThat(message.getEvents().getEventsCount()).isLessThanOrEqualTo(FeedSink.EVENTS_PER_MESSAGE);
            if (message.hasEvent()) {
                events.add(message.getEvent());
            }
            events.addAll(message.getEvents().getEventsList());
        }
        return events;
    }

    /** Reads a whole snapshot and returns its messages, begin to end. */
    static List<FeedMessage> snapshot(Iterator<FeedMessage> stream) {
        List<FeedMessage> messages = new ArrayList<>(List.of(next(stream)));
        assertThat(messages.get(0).hasSnapshotBegin()).isTrue();
        while (!messages.get(messages.size() - 1).hasSnapshotEnd()) {
            messages.add(next(stream));
        }
        return messages;
    }

    long revokeSession(String sessionId) {
        return fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId)
                .setReason("test").build()).getFeedSequence();
    }

    @Test
    void aNewSubscriberGetsASnapshotOfLiveRevocationsThenDeltasInOrder() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        long revoked = revokeSession(alice.getSessionId());
        Iterator<FeedMessage> stream = subscribe(0);
        List<FeedMessage> snapshot = snapshot(stream);

        assertThat(snapshot.get(0).getSnapshotBegin().getSequence()).isEqualTo(revoked);
        assertThat(snapshot.get(1).getSnapshotChunk().getEntries(0).getSigningKeys().getJwksJson()).contains("Ed25519");
        assertThat(snapshot).flatMap(m -> m.getSnapshotChunk().getEntriesList())
                .anySatisfy(e -> assertThat(e.getRevokedSession().getSessionId()).isEqualTo(alice.getSessionId()));
        assertThat(snapshot.get(snapshot.size() - 1).getSnapshotEnd().getSequence()).isEqualTo(revoked);

        TokenPair bob = fx.login(AuthorityFixture.BOB);
        long next = revokeSession(bob.getSessionId());
        FeedMessage event = next(stream);
        assertThat(event.getEvent().getSequence()).isEqualTo(next);
        assertThat(event.getEvent().getPreviousSequence()).isEqualTo(revoked);
        assertThat(event.getEvent().getEntry().getRevokedSession().getSessionId()).isEqualTo(bob.getSessionId());
    }

    @Test
    void aResumingSubscriberGetsOnlyWhatItMissedWithoutASnapshot() {
        long first = revokeSession(fx.login(AuthorityFixture.ALICE).getSessionId());
        long second = fx.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder()
                .setUserId(fx.user(AuthorityFixture.BOB).id()).build()).getFeedSequence();
        Iterator<FeedMessage> stream = subscribe(first, entryIdAt(first));
        FeedMessage event = next(stream);
        assertThat(event.hasEvent()).isTrue();
        assertThat(event.getEvent().getSequence()).isEqualTo(second);
        assertThat(event.getEvent().getPreviousSequence()).isEqualTo(first);
        assertThat(event.getEvent().getEntry().getUserWatermark().getUserId()).isEqualTo(fx.user(AuthorityFixture.BOB).id());
        assertThat(event.getEvent().getEntryId()).isEqualTo(entryIdAt(second)).isNotZero();
    }

    /** G2: a subscriber never resumes past entries of a log that went back; it gets a snapshot of the log as it is. */
    @Test
    void aSubscriberWhosePositionTheLogNoLongerHoldsGetsASnapshotEvenWhenTheNumbersWereReused() {
        long kept = revokeSession(fx.login(AuthorityFixture.ALICE).getSessionId());
        long lost = revokeSession(fx.login(AuthorityFixture.BOB).getSessionId());
        long lostEntryId = entryIdAt(lost);

        rollLogBackTo(kept);
        TokenPair afterRestore = fx.login(AuthorityFixture.ALICE);
        long reused = revokeSession(afterRestore.getSessionId());
        assertThat(reused).as("the restored log hands out the lost number again").isEqualTo(lost);

        List<FeedMessage> snapshot = snapshot(subscribe(lost, lostEntryId));
        assertThat(snapshot).flatMap(m -> m.getSnapshotChunk().getEntriesList())
                .anySatisfy(e -> assertThat(e.getRevokedSession().getSessionId()).isEqualTo(afterRestore.getSessionId()));
        assertThat(snapshot.get(snapshot.size() - 1).getSnapshotEnd().getEntryId()).isEqualTo(entryIdAt(reused));
    }

    @Test
    void aPositionWithoutAnEntryIdGetsASnapshotBecauseItCannotBeChecked() {
        long first = revokeSession(fx.login(AuthorityFixture.ALICE).getSessionId());
        assertThat(next(subscribe(first, 0)).hasSnapshotBegin()).isTrue();
        assertThat(next(subscribe(first, entryIdAt(first) + 1)).hasSnapshotBegin()).isTrue();
    }

    /** G2: a log that goes back under a running authority ends every stream, whose subscribers then resynchronise. */
    @Test
    void aLogThatGoesBackUnderALiveStreamEndsItWithUnavailable() {
        long kept = revokeSession(fx.login(AuthorityFixture.ALICE).getSessionId());
        Iterator<FeedMessage> stream = subscribe(0);
        snapshot(stream);
        long lost = revokeSession(fx.login(AuthorityFixture.BOB).getSessionId());
        assertThat(next(stream).getEvent().getSequence()).isEqualTo(lost);

        rollLogBackTo(kept);
        revokeSession(fx.login(AuthorityFixture.ALICE).getSessionId());

        assertThatThrownBy(() -> next(stream)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    /** G5: the authority keeps an entry past its expiry for as long as any validator's clock skew may accept the token. */
    @Test
    void anExpiredEntryStaysInSnapshotsForTheLargestValidatorClockSkew() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        revokeSession(alice.getSessionId());
        Instant expiresAt = fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).findAfter(0, 10))
                .get(0).expiresAt();
        fx.clock.set(expiresAt.plus(RevocationRetention.MAX_VALIDATOR_CLOCK_SKEW));

        assertThat(snapshot(subscribe(0))).flatMap(m -> m.getSnapshotChunk().getEntriesList())
                .anySatisfy(e -> assertThat(e.getRevokedSession().getSessionId()).isEqualTo(alice.getSessionId()));
    }

    @Test
    void heartbeatsSayWhenTheReplicaLastReadTheLog() {
        Iterator<FeedMessage> stream = subscribe(0);
        snapshot(stream);
        FeedMessage heartbeat = stream.next();
        while (!heartbeat.hasHeartbeat()) {
            heartbeat = stream.next();
        }
        assertThat(heartbeat.getHeartbeat().hasLogReadAt()).isTrue();
        assertThat(Timestamps.toMillis(heartbeat.getHeartbeat().getLogReadAt()))
                .isLessThanOrEqualTo(Timestamps.toMillis(heartbeat.getHeartbeat().getServerTime()));
    }

    @Test
    void aSubscriberAheadOfTheLogGetsASnapshotBecauseItFollowedAnotherDatabase() {
        Iterator<FeedMessage> stream = subscribe(1_000_000);
        assertThat(next(stream).hasSnapshotBegin()).isTrue();
    }

    @Test
    void expiredEntriesAreLeftOutOfSnapshotsAndCompactedAway() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        String jti = fx.auth().introspect(dev.tokenauthority.api.v1.IntrospectRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret)
                .setToken(alice.getAccessToken()).build()).getJti();
        fx.admin(admin).revokeToken(RevokeTokenRequest.newBuilder().setTokenId(jti).build());
        // 15 min token, 30 s authority skew, 5 min 2 s kept for the validators' skew.
        fx.clock.advance(Duration.ofMinutes(21));
        admin = fx.loginAdmin().getAccessToken();
        assertThat(snapshot(subscribe(0))).flatMap(m -> m.getSnapshotChunk().getEntriesList())
                .noneSatisfy(e -> assertThat(e.getRevokedToken().getJti()).isEqualTo(jti));
    }

    @Test
    void keyRotationReachesSubscribersAsANewKeySet() {
        Iterator<FeedMessage> stream = subscribe(0);
        snapshot(stream);
        String kid = fx.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build())
                .getKid();
        assertThat(next(stream).getEvent().getEntry().getSigningKeys().getJwksJson()).contains(kid);
    }

    @Test
    void concurrentRevocationsReachASubscriberEveryOneInOrderWithoutASkippedSequence() throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sessions.add(fx.login(i % 2 == 0 ? AuthorityFixture.ALICE : AuthorityFixture.BOB).getSessionId());
        }
        Iterator<FeedMessage> stream = subscribe(0);
        long start = snapshot(stream).get(0).getSnapshotBegin().getSequence();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> results = new ArrayList<>();
        for (String session : sessions) {
            results.add(pool.submit(() -> revokeSession(session)));
        }
        for (Future<Long> result : results) {
            result.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertConsecutive(events(stream, sessions.size()), start);
    }

    @Test
    void aBulkRevocationTravelsAsRunsOfEventsThatChainLikeSingleOnes() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        List<String> tokenIds = new ArrayList<>();
        for (int i = 0; i < 2_100; i++) {
            tokenIds.add(fx.issueTo(aliceId).getRefreshTokenId());
        }
        Iterator<FeedMessage> stream = subscribe(0);
        long start = snapshot(stream).get(0).getSnapshotBegin().getSequence();

        long last = fx.admin(admin).batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addAllTokenIds(tokenIds)
                .setReason("test").build()).getFeedSequence();

        List<FeedMessage> messages = new ArrayList<>();
        List<FeedEvent> events = new ArrayList<>();
        while (events.size() < tokenIds.size()) {
            FeedMessage message = next(stream);
            messages.add(message);
            events.addAll(message.getEvents().getEventsList());
        }
        assertThat(messages).allSatisfy(m -> assertThat(m.getEvents().getEventsCount())
                .isBetween(2, FeedSink.EVENTS_PER_MESSAGE));
        assertThat(messages.size()).isLessThan(10);
        assertConsecutive(events, start);
        assertThat(events.get(events.size() - 1).getSequence()).isEqualTo(last);
        assertThat(events).extracting(e -> e.getEntry().getRevokedSession().getSessionId()).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isNotEmpty());
    }

    static void assertConsecutive(List<FeedEvent> events, long start) {
        long previous = start;
        for (FeedEvent event : events) {
            assertThat(event.getSequence()).isEqualTo(previous + 1);
            assertThat(event.getPreviousSequence()).isEqualTo(previous);
            previous = event.getSequence();
        }
    }

    @Test
    void onlyClientsHoldingFeedSubscribeMaySubscribe() {
        assertThat(subscribeCode(DemoData.SIDECAR_CLIENT, "ta_cs_wrong")).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(subscribeCode(AuthorityFixture.BACKEND_CLIENT, fx.backendSecret)).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(subscribeCode(DemoData.APP_CLIENT, "")).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(subscribeCode("", "")).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    Status.Code subscribeCode(String clientId, String secret) {
        try {
            RevocationFeedServiceGrpc.newBlockingStub(fx.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .subscribe(SubscribeRequest.newBuilder().setClientId(clientId).setClientSecret(secret).build())
                    .next();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
