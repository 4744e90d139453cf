package dev.tokenauthority.sidecar.state;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_USER_TOKENS_REVOKED;
import static dev.tokenauthority.sidecar.testing.FeedEntries.revokedToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.IdHasher;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.HashedEntries;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Snapshots in the hashed form (feed.proto's HashedEntries), whose key replaces the state's. */
class HashedSnapshotTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final long BASE = NOW.getEpochSecond();
    private static final long ISSUED_MICROS = BASE * 1_000_000 + 123_456;

    private final InMemoryRevocationState state = new InMemoryRevocationState();

    @Test
    void hashedEntriesRevokeLikeTheirFullFormUnderTheSnapshotsKey() {
        IdHasher key = IdHasher.random();
        state.applySnapshot(new RevocationSnapshotBuilder(3, 0, key).addHashed(HashedEntries.newBuilder()
                .setBaseSecond(BASE)
                .addRevokedTokenHashes(key.hash("at_1")).addRevokedTokenExpiryOffsets(60)
                .addRevokedSessionHashes(key.hash("ses_2")).addRevokedSessionExpiryOffsets(60)
                .addWatermarkUserHashes(key.hash("usr_3")).addWatermarkInvalidatedOffsetsMicros(123_456)
                .addWatermarkExpiryOffsets(60).build()));

        assertThat(reason("at_1", "ses_x", "usr_x", ISSUED_MICROS)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
        assertThat(reason("at_x", "ses_2", "usr_x", ISSUED_MICROS)).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        assertThat(reason("at_x", "ses_x", "usr_3", ISSUED_MICROS)).isEqualTo(DENIAL_REASON_USER_TOKENS_REVOKED);
        assertThat(reason("at_x", "ses_x", "usr_3", ISSUED_MICROS + 1)).isNull();
        assertThat(state.counts()).isEqualTo(new InMemoryRevocationState.RevocationCounts(1, 1, 0, 1));

        // Later events are hashed under the snapshot's key too.
        state.apply(FeedEvent.newBuilder().setSequence(4).setEntry(revokedToken("at_4", NOW.plusSeconds(60))).build());
        assertThat(reason("at_4", "ses_x", "usr_x", ISSUED_MICROS)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
    }

    @Test
    void expiryOffsetsCountFromTheBaseSecondSoTheSweepDropsExpiredEntries() {
        IdHasher key = IdHasher.random();
        state.applySnapshot(new RevocationSnapshotBuilder(3, 0, key).addHashed(HashedEntries.newBuilder()
                .setBaseSecond(BASE)
                .addRevokedTokenHashes(key.hash("at_soon")).addRevokedTokenExpiryOffsets(-10)
                .addRevokedTokenHashes(key.hash("at_later")).addRevokedTokenExpiryOffsets(3600).build()));

        state.sweep(NOW.plus(state.retention()));

        assertThat(reason("at_soon", "s", "u", ISSUED_MICROS)).isNull();
        assertThat(reason("at_later", "s", "u", ISSUED_MICROS)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
    }

    /** A token checked (and its ids hashed) before a snapshot with a new key must still be found after it. */
    @Test
    void aCachedTokensIdsAreHashedAgainUnderANewSnapshotsKey() {
        TokenIds cached = new TokenIds("at_1", "ses_1", "usr_1");
        IdHasher first = IdHasher.random();
        state.applySnapshot(new RevocationSnapshotBuilder(1, 0, first).addHashed(HashedEntries.getDefaultInstance()));
        assertThat(state.revocationReason(cached, ISSUED_MICROS)).isEmpty();

        IdHasher second = IdHasher.random();
        state.applySnapshot(new RevocationSnapshotBuilder(2, 0, second).addHashed(HashedEntries.newBuilder()
                .setBaseSecond(BASE).addRevokedSessionHashes(second.hash("ses_1")).addRevokedSessionExpiryOffsets(60)
                .build()));

        assertThat(state.revocationReason(cached, ISSUED_MICROS)).contains(DENIAL_REASON_SESSION_REVOKED);
    }

    @Test
    void malformedHashedEntriesAreRefusedSoTheSnapshotIsAbandoned() {
        RevocationSnapshotBuilder snapshot = new RevocationSnapshotBuilder(1, 0, IdHasher.random());
        assertThatThrownBy(() -> snapshot.addHashed(HashedEntries.newBuilder().addRevokedTokenHashes(42).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 revoked token hashes but 0");
        assertThatThrownBy(() -> snapshot.addHashed(HashedEntries.newBuilder()
                .addWatermarkUserHashes(42).addWatermarkInvalidatedOffsetsMicros(1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("watermark");
        assertThatThrownBy(() -> snapshot.addHashed(HashedEntries.newBuilder()
                .addRevokedSessionHashes(HashedIdTable.EMPTY).addRevokedSessionExpiryOffsets(1).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A shared snapshot carries the entries after its shared part: the state is at its end, not its beginning. */
    @Test
    void aSnapshotThatEndsPastItsBeginningLeavesTheStateAtItsEnd() {
        RevocationSnapshotBuilder snapshot = new RevocationSnapshotBuilder(3, 0, IdHasher.random());
        snapshot.add(revokedToken("at_5", NOW.plusSeconds(60)));
        state.applySnapshot(snapshot, 5, 55);

        assertThat(state.appliedSequence()).isEqualTo(5);
        assertThat(state.appliedEntryId()).isEqualTo(55);
        assertThat(reason("at_5", "s", "u", ISSUED_MICROS)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
        assertThatThrownBy(() -> state.applySnapshot(new RevocationSnapshotBuilder(7, 0), 6, 66))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(state.appliedSequence()).isEqualTo(5);
    }

    @Test
    void hashedEntriesInASnapshotThatNamedNoKeyAreRefusedRatherThanMissed() {
        RevocationSnapshotBuilder unkeyed = new RevocationSnapshotBuilder(1, 0);
        assertThatThrownBy(() -> unkeyed.addHashed(HashedEntries.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no id hash key");
    }

    @Test
    void aHostileOffsetCannotWrapAnExpiryIntoThePast() {
        IdHasher key = IdHasher.random();
        state.applySnapshot(new RevocationSnapshotBuilder(3, 0, key).addHashed(HashedEntries.newBuilder()
                .setBaseSecond(Long.MAX_VALUE - 5)
                .addRevokedTokenHashes(key.hash("at_1")).addRevokedTokenExpiryOffsets(Long.MAX_VALUE).build()));

        state.sweep(NOW.plusSeconds(86_400L * 365 * 50));

        assertThat(reason("at_1", "s", "u", ISSUED_MICROS)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
    }

    private Object reason(String jti, String sessionId, String userId, long issuedAtMicros) {
        return state.revocationReason(new TokenIds(jti, sessionId, userId), issuedAtMicros).orElse(null);
    }
}
