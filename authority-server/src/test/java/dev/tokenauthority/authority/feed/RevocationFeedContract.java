package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Timestamps;
import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.RevocationLogStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The revocation feed through real gRPC, on H2 and PostgreSQL: snapshots, resumption, heartbeats, retention and who
 * may subscribe.
 *
 * <p>Proves G2, G3 and G5 (the tests so marked) of docs/guarantees.md.
 */
abstract class RevocationFeedContract extends RevocationFeedContractBase {

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
