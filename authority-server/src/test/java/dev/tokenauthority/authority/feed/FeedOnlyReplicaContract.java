package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Timestamps;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.ListUsersRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.keys.KeySetFreshness;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.server.ReplicaRole;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.MutableClock;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A feed-only replica beside a primary on one database, through real gRPC, on H2 and PostgreSQL: it
 * vouches as of the primary's beat and never its own clock, it serves the feed and the JWK set and
 * refuses everything else. Its clock runs an hour ahead of the primary's, so a vouch taken from it
 * would show. (On a real standby: {@code StandbyReplicaProcessTest}.)
 */
abstract class FeedOnlyReplicaContract {

    AuthorityFixture primary;
    final MutableClock replicaClock = MutableClock.startingNow();
    Database replicaDatabase;
    Authority replica;
    AuthorityServer replicaServer;
    ManagedChannel replicaChannel;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() throws Exception {
        primary = new AuthorityFixture(kind());
        replicaClock.set(primary.clock.instant().plus(Duration.ofHours(1)));
        beat(primary.clock.instant());
        TestDatabase db = primary.database;
        replicaDatabase = Database.openWithoutMigrating(db.url(), db.user(), db.password(), 4);
        // As `serve --feed-only` makes it: no key-encryption key, so public keys only.
        replica = new Authority(replicaDatabase, TokenPolicy.withIssuer(AuthorityFixture.ISSUER), KeyEncryptionKeys.none(),
                new PasswordHasher(1024, 1), LoginLimits.DEFAULTS, new PrometheusRegistry(), replicaClock,
                ReplicaRole.FEED_ONLY);
        replica.start();
        String name = InProcessServerBuilder.generateName();
        replicaServer = new AuthorityServer(InProcessServerBuilder.forName(name), replica).start();
        replicaChannel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        replicaChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        replicaServer.stop(java.time.Duration.ofSeconds(1));
        replica.close();
        replicaDatabase.close();
        primary.close();
    }

    void beat(Instant at) {
        primary.authority.transactor().useTransaction(tx -> tx.store(FeedBeatStore.class)
                .beat(at, LogReadTime.BEAT_AHEAD_TOLERANCE));
    }

    Instant lastBeat() {
        return primary.authority.transactor().read(tx -> tx.store(FeedBeatStore.class).lastBeat());
    }

    Iterator<FeedMessage> subscribe() {
        return RevocationFeedServiceGrpc.newBlockingStub(replicaChannel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setSidecarId("test").setClientId(DemoData.SIDECAR_CLIENT)
                        .setClientSecret(primary.sidecarSecret).build());
    }

    @Test
    void aBeatNeverGoesBackSoAReplicaWithASlowClockCannotUndoAnother() {
        Instant now = primary.clock.instant();
        boolean movedBack = primary.authority.transactor().inTransaction(tx ->
                tx.store(FeedBeatStore.class).beat(now.minusSeconds(5), LogReadTime.BEAT_AHEAD_TOLERANCE));
        assertThat(movedBack).isFalse();
        assertThat(lastBeat()).isEqualTo(now);
        primary.clock.advance(Duration.ofSeconds(3));
        new FeedBeat(primary.authority.transactor(), primary.clock).beatOnce();
        assertThat(lastBeat()).isEqualTo(primary.clock.instant());
    }

    @Test
    void aSnapshotFromTheFeedOnlyReplicaIsGeneratedAtThePrimarysBeatNotAtItsOwnClock() {
        Iterator<FeedMessage> stream = subscribe();
        FeedMessage begin = stream.next();
        assertThat(begin.hasSnapshotBegin()).isTrue();
        assertThat(Timestamps.toMillis(begin.getSnapshotBegin().getGeneratedAt()))
                .isEqualTo(primary.clock.instant().toEpochMilli());
    }

    @Test
    void aSharedHashedSnapshotFromTheFeedOnlyReplicaIsGeneratedAtThePrimarysBeatToo() {
        Iterator<FeedMessage> stream = RevocationFeedServiceGrpc.newBlockingStub(replicaChannel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setSidecarId("test").setClientId(DemoData.SIDECAR_CLIENT)
                        .setClientSecret(primary.sidecarSecret).setAcceptsHashedSnapshot(true).build());
        FeedMessage begin = stream.next();
        assertThat(begin.hasSnapshotBegin()).isTrue();
        assertThat(Timestamps.toMillis(begin.getSnapshotBegin().getGeneratedAt()))
                .isEqualTo(primary.clock.instant().toEpochMilli());
    }

    @Test
    void theVouchFollowsTheBeatAndStaysPutWhenTheBeatStops() {
        Instant first = primary.clock.instant();
        Eventually.until(Duration.ofSeconds(5), "the vouch reaches the beat",
                () -> replica.feed().vouch().logReadAt().equals(first));
        // The primary's clock stands still, so its beat does too (on PostgreSQL the primary beats on its own):
        // whatever the replica's clock says, the vouch does not move.
        replicaClock.advance(Duration.ofMinutes(1));
        sleepPolls();
        assertThat(replica.feed().vouch().logReadAt()).isEqualTo(first);
        primary.clock.advance(Duration.ofSeconds(3));
        Instant second = primary.clock.instant();
        beat(second);
        Eventually.until(Duration.ofSeconds(5), "the vouch follows the beat",
                () -> replica.feed().vouch().logReadAt().equals(second));
    }

    @Test
    void aBeatALittleAheadOfTheReplicasClockIsVouchedOnlyUpToItsClock() {
        // In one transaction, so that the primary's own beat (PostgreSQL, its clock an hour behind) cannot pull it back.
        Instant vouched = primary.authority.transactor().inTransaction(tx -> {
            tx.store(FeedBeatStore.class).beat(replicaClock.instant().plus(LogReadTime.BEAT_AHEAD_TOLERANCE),
                    LogReadTime.BEAT_AHEAD_TOLERANCE);
            return LogReadTime.replayedBeat(replicaClock).before(tx);
        });
        assertThat(vouched).isEqualTo(replicaClock.instant());
    }

    /**
     * A primary whose clock ran a day fast left its beat in the future: the replica must not vouch by its own clock
     * meanwhile (its standby may lag), and the next beat from a primary with a sane clock pulls the beat back.
     */
    @Test
    void aBeatFromAClockThatRanFastVouchesForNothingUntilASaneBeatPullsItBack() {
        Instant sane = primary.clock.instant();
        // In one transaction, so that the primary's own beat (PostgreSQL) cannot pull it back in between.
        Instant vouched = primary.authority.transactor().inTransaction(tx -> {
            tx.store(FeedBeatStore.class).beat(sane.plus(Duration.ofDays(1)), LogReadTime.BEAT_AHEAD_TOLERANCE);
            return LogReadTime.replayedBeat(replicaClock).before(tx);
        });
        assertThat(vouched).as("a read of the log vouches for nothing").isEqualTo(Instant.EPOCH);

        new FeedBeat(primary.authority.transactor(), primary.clock).beatOnce();

        assertThat(lastBeat()).isEqualTo(sane);
        Eventually.until(Duration.ofSeconds(5), "the vouch follows the sane beat",
                () -> replica.feed().vouch().logReadAt().equals(sane));
    }

    @Test
    void aRevocationOnThePrimaryReachesASubscriberOfTheFeedOnlyReplicaWithTheEntryIdsOfTheLog() {
        TokenPair alice = primary.login(AuthorityFixture.ALICE);
        String admin = primary.loginAdmin().getAccessToken();
        Iterator<FeedMessage> stream = subscribe();
        while (!stream.next().hasSnapshotEnd()) {
            // the snapshot
        }
        String session = alice.getSessionId();
        primary.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(session)
                .setReason("test").build());
        FeedMessage message = RevocationFeedContractBase.next(stream);
        assertThat(message.getEvent().getEntry().getRevokedSession().getSessionId()).isEqualTo(session);
        assertThat(message.getEvent().getEntryId())
                .isEqualTo(primary.authority.feed().readHead().position().entryId());
    }

    @Test
    void aSubscriberAheadOfTheStandbyIsToldToComeBackRatherThanGivenAnOlderSnapshot() {
        long head = primary.authority.feed().readHead().position().sequence();
        Iterator<FeedMessage> stream = RevocationFeedServiceGrpc.newBlockingStub(replicaChannel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setSidecarId("test").setClientId(DemoData.SIDECAR_CLIENT)
                        .setClientSecret(primary.sidecarSecret).setAfterSequence(head + 5).setAfterEntryId(42).build());
        assertThatThrownBy(stream::next).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("replayed the revocation log up to " + head);
        });
    }

    @Test
    void theFeedOnlyReplicaServesTheJwkSetOfThePrimarysKeysWithoutHoldingAnyPrivateKey() {
        String jwks = KeyServiceGrpc.newBlockingStub(replicaChannel).getJwks(GetJwksRequest.getDefaultInstance())
                .getJwksJson();
        assertThat(jwks).isEqualTo(primary.keys().getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson());
        assertThat(replica.signingKeys().published()).isNotEmpty().allSatisfy(key -> {
            assertThat(key.privateKey()).isNull();
            assertThat(key.signingParameters()).isNull();
        });
    }

    @Test
    void theJwkSetIsRefusedWhileTheStandbyStandsStillAndServedAgainOnceItMoves() {
        KeyServiceGrpc.KeyServiceBlockingStub keys = KeyServiceGrpc.newBlockingStub(replicaChannel);
        keys.getJwks(GetJwksRequest.getDefaultInstance());
        // The primary's clock stands still, so its beat does, as a standby that stopped replaying shows it.
        replicaClock.advance(KeySetFreshness.MAX_AGE.plusSeconds(1));
        assertThatThrownBy(() -> keys.getJwks(GetJwksRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("ask another replica");
                });

        primary.clock.advance(Duration.ofSeconds(2));
        beat(primary.clock.instant());
        Eventually.until(Duration.ofSeconds(5), "the vouch moves with the beat",
                () -> replica.feed().vouch().logReadAt().equals(primary.clock.instant()));
        assertThat(keys.getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson())
                .isEqualTo(primary.keys().getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson());
    }

    @Test
    void everyOtherCallIsRefusedWithFailedPreconditionNamingAPrimaryReplica() {
        String admin = primary.loginAdmin().getAccessToken();
        assertRefused(() -> AuthServiceGrpc.newBlockingStub(replicaChannel).login(LoginRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setUsername(AuthorityFixture.ALICE)
                .setPassword(DemoData.USER_PASSWORD).build()));
        assertRefused(() -> AdminServiceGrpc.newBlockingStub(replicaChannel)
                .withInterceptors(AuthorityFixture.bearer(admin)).listUsers(ListUsersRequest.getDefaultInstance()));
        assertRefused(() -> KeyServiceGrpc.newBlockingStub(replicaChannel)
                .withInterceptors(AuthorityFixture.bearer(admin))
                .rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("test").build()));
    }

    private static void assertRefused(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("feed-only").contains("call a primary replica");
        });
    }

    @Test
    void aDatabaseWhoseSchemaIsBehindThisBuildIsRefusedWithoutBeingMigrated() {
        TestDatabase db = primary.database;
        int latest = primary.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\"").mapTo(Integer.class).one());
        primary.db.jdbi().useHandle(h -> h.execute(
                "DELETE FROM \"flyway_schema_history\" WHERE \"installed_rank\" = "
                        + "(SELECT MAX(\"installed_rank\") FROM \"flyway_schema_history\")"));
        // Read, not latest - 1: version numbers may leave gaps (a number reserved for a change still on a branch).
        int previous = primary.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\"").mapTo(Integer.class).one());
        assertThatThrownBy(() -> Database.openWithoutMigrating(db.url(), db.user(), db.password(), 2))
                .isInstanceOf(Database.SchemaMismatch.class)
                .hasMessageContaining("is at version " + previous + " but this build expects version " + latest);
    }

    private static void sleepPolls() {
        try {
            Thread.sleep(3 * Authority.FEED_POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
