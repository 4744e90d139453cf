package dev.tokenauthority.sidecar.state;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_ALL_TOKENS_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_SUSPENDED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_USER_TOKENS_REVOKED;
import static dev.tokenauthority.sidecar.testing.FeedEntries.globalWatermark;
import static dev.tokenauthority.sidecar.testing.FeedEntries.revokedSession;
import static dev.tokenauthority.sidecar.testing.FeedEntries.revokedToken;
import static dev.tokenauthority.sidecar.testing.FeedEntries.signingKeys;
import static dev.tokenauthority.sidecar.testing.FeedEntries.suspension;
import static dev.tokenauthority.sidecar.testing.FeedEntries.userWatermark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevokedToken;
import dev.tokenauthority.sidecar.testing.FeedEntries;
import dev.tokenauthority.sidecar.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryRevocationStateTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final long ISSUED_MICROS = NOW.getEpochSecond() * 1_000_000 + 123_456;

    private final InMemoryRevocationState state = new InMemoryRevocationState();
    private final FeedEntries feed = new FeedEntries(state);

    @Test
    void aNewStateRevokesNothingAndHasNoKeys() {
        assertThat(reasonFor("at_1", "ses_1", "usr_1")).isEmpty();
        assertThat(state.signingKeys().size()).isZero();
        assertThat(state.appliedSequence()).isZero();
    }

    @Test
    void eachKindOfEntryRevokesWithItsReason() {
        feed.apply(revokedToken("at_1", NOW.plusSeconds(60)));
        feed.apply(revokedSession("ses_2", NOW.plusSeconds(60)));
        feed.apply(suspension("ses_3", true, NOW.plusSeconds(60)));
        feed.apply(userWatermark("usr_4", micros(ISSUED_MICROS), NOW.plusSeconds(60)));

        assertThat(reasonFor("at_1", "ses_x", "usr_x")).contains(DENIAL_REASON_TOKEN_REVOKED);
        assertThat(reasonFor("at_x", "ses_2", "usr_x")).contains(DENIAL_REASON_SESSION_REVOKED);
        assertThat(reasonFor("at_x", "ses_3", "usr_x")).contains(DENIAL_REASON_TOKEN_SUSPENDED);
        assertThat(reasonFor("at_x", "ses_x", "usr_4")).contains(DENIAL_REASON_USER_TOKENS_REVOKED);
        assertThat(reasonFor("at_x", "ses_x", "usr_x")).isEmpty();

        feed.apply(globalWatermark(micros(ISSUED_MICROS)));

        assertThat(reasonFor("at_x", "ses_x", "usr_x")).contains(DENIAL_REASON_ALL_TOKENS_REVOKED);
        assertThat(state.counts()).isEqualTo(new InMemoryRevocationState.RevocationCounts(1, 1, 1, 1));
    }

    @Test
    void aWatermarkKillsTokensIssuedAtOrBeforeItToTheMicrosecond() {
        feed.apply(userWatermark("usr_1", micros(ISSUED_MICROS), NOW.plusSeconds(60)));

        assertThat(state.revocationReason(new TokenIds("", "", "usr_1"), ISSUED_MICROS))
                .contains(DENIAL_REASON_USER_TOKENS_REVOKED);
        assertThat(state.revocationReason(new TokenIds("", "", "usr_1"), ISSUED_MICROS + 1)).isEmpty();
    }

    @Test
    void deltasNeverLowerAWatermark() {
        feed.apply(userWatermark("usr_1", micros(ISSUED_MICROS), NOW.plusSeconds(60)));
        feed.apply(userWatermark("usr_1", micros(ISSUED_MICROS - 5_000_000), NOW.plusSeconds(60)));
        feed.apply(globalWatermark(micros(ISSUED_MICROS)));
        feed.apply(globalWatermark(micros(ISSUED_MICROS - 5_000_000)));

        assertThat(state.revocationReason(new TokenIds("", "", "usr_1"), ISSUED_MICROS))
                .contains(DENIAL_REASON_USER_TOKENS_REVOKED);
        assertThat(state.revocationReason(new TokenIds("", "", "usr_2"), ISSUED_MICROS))
                .contains(DENIAL_REASON_ALL_TOKENS_REVOKED);
    }

    @Test
    void aResumeLiftsASuspension() {
        feed.apply(suspension("ses_1", true, NOW.plusSeconds(60)));
        feed.apply(suspension("ses_1", false, NOW.plusSeconds(60)));

        assertThat(reasonFor("at_1", "ses_1", "usr_1")).isEmpty();
    }

    @Test
    void eventsAtOrBelowTheAppliedSequenceAreIgnored() {
        assertThat(state.apply(event(5, suspension("ses_1", true, NOW.plusSeconds(60))))).isTrue();
        assertThat(state.apply(event(6, suspension("ses_1", false, NOW.plusSeconds(60))))).isTrue();

        assertThat(state.apply(event(5, suspension("ses_1", true, NOW.plusSeconds(60))))).isFalse();

        assertThat(reasonFor("at_1", "ses_1", "usr_1")).isEmpty();
        assertThat(state.appliedSequence()).isEqualTo(6);
    }

    @Test
    void sweepDropsEntriesOnlyAfterTheirExpiryPlusRetention() {
        InMemoryRevocationState swept = new InMemoryRevocationState(Duration.ofSeconds(30));
        FeedEntries entries = new FeedEntries(swept);
        entries.apply(revokedToken("at_1", NOW));
        entries.apply(revokedSession("ses_1", NOW));
        entries.apply(suspension("ses_2", true, NOW));
        entries.apply(userWatermark("usr_1", NOW, NOW));
        entries.apply(revokedToken("at_2", NOW.plusSeconds(3600)));

        assertThat(swept.sweep(NOW.plusSeconds(30))).isZero();
        assertThat(swept.sweep(NOW.plusSeconds(31))).isEqualTo(4);

        assertThat(swept.counts()).isEqualTo(new InMemoryRevocationState.RevocationCounts(1, 0, 0, 0));
        assertThat(swept.revocationReason(new TokenIds("at_1", "", ""), Long.MAX_VALUE)).isEmpty();
        assertThat(swept.revocationReason(new TokenIds("at_2", "", ""), Long.MAX_VALUE))
                .contains(DENIAL_REASON_TOKEN_REVOKED);
    }

    @Test
    void anEntryWithoutAnExpiryIsNeverSwept() {
        feed.apply(RevocationEntry.newBuilder().setRevokedToken(RevokedToken.newBuilder().setJti("at_1")).build());

        assertThat(state.sweep(Instant.parse("2100-01-01T00:00:00Z"))).isZero();
        assertThat(reasonFor("at_1", "ses_1", "usr_1")).contains(DENIAL_REASON_TOKEN_REVOKED);
    }

    @Test
    void aSnapshotReplacesEverythingAtOnce() {
        feed.apply(revokedToken("at_old", NOW.plusSeconds(60)));
        feed.apply(globalWatermark(NOW));
        feed.apply(signingKeys(TestKeys.jwks(TestKeys.ed25519("k1"))));

        state.applySnapshot(new RevocationSnapshotBuilder(42, 0)
                .add(revokedToken("at_new", NOW.plusSeconds(60)))
                .add(signingKeys(TestKeys.jwks(TestKeys.ed25519("k2")))));

        assertThat(reasonFor("at_old", "ses_1", "usr_1")).isEmpty();
        assertThat(reasonFor("at_new", "ses_1", "usr_1")).contains(DENIAL_REASON_TOKEN_REVOKED);
        assertThat(state.signingKeys().find("k1")).isNull();
        assertThat(state.signingKeys().find("k2")).isNotNull();
        assertThat(state.appliedSequence()).isEqualTo(42);
    }

    @Test
    void aSnapshotWithoutSigningKeysKeepsTheCurrentKeys() {
        feed.apply(signingKeys(TestKeys.jwks(TestKeys.ed25519("k1"))));

        state.applySnapshot(new RevocationSnapshotBuilder(42, 0).add(revokedToken("at_1", NOW)));

        assertThat(state.signingKeys().find("k1")).isNotNull();
    }

    @Test
    void eventsAfterASnapshotApplyToTheNewTables() {
        state.applySnapshot(new RevocationSnapshotBuilder(42, 0));

        assertThat(state.apply(event(42, revokedToken("at_1", NOW)))).isFalse();
        assertThat(state.apply(event(43, revokedToken("at_1", NOW)))).isTrue();

        assertThat(reasonFor("at_1", "ses_1", "usr_1")).contains(DENIAL_REASON_TOKEN_REVOKED);
    }

    @Test
    void anInvalidJwkSetIsRejectedAndTheStateIsUnchanged() {
        feed.apply(signingKeys(TestKeys.jwks(TestKeys.ed25519("k1"))));
        long sequence = state.appliedSequence();

        assertThatThrownBy(() -> state.apply(event(sequence + 1, signingKeys("{\"keys\":[{\"kty\":\"OKP\"}]}"))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(state.signingKeys().find("k1")).isNotNull();
        assertThat(state.appliedSequence()).isEqualTo(sequence);
    }

    @Test
    void anEmptyEntryIsRejected() {
        assertThatThrownBy(() -> state.apply(event(1, RevocationEntry.getDefaultInstance())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSnapshotBuilderCannotBeAppliedTwice() {
        RevocationSnapshotBuilder snapshot = new RevocationSnapshotBuilder(1, 0);
        state.applySnapshot(snapshot);

        assertThatThrownBy(() -> state.applySnapshot(snapshot)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> snapshot.add(revokedToken("at_1", NOW))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMillionEntrySnapshotIsApplied() {
        RevocationSnapshotBuilder snapshot = new RevocationSnapshotBuilder(7, 1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            snapshot.add(revokedToken("at_" + i, NOW.plusSeconds(i % 3600)));
        }
        state.applySnapshot(snapshot);

        assertThat(state.counts().revokedTokens()).isEqualTo(1_000_000);
        assertThat(reasonFor("at_999999", "ses_1", "usr_1")).contains(DENIAL_REASON_TOKEN_REVOKED);
        assertThat(reasonFor("at_1000000", "ses_1", "usr_1")).isEmpty();
    }

    private Optional<DenialReason> reasonFor(String jti, String sessionId, String userId) {
        return state.revocationReason(new TokenIds(jti, sessionId, userId),
                ISSUED_MICROS);
    }

    private static FeedEvent event(long sequence, RevocationEntry entry) {
        return FeedEvent.newBuilder().setSequence(sequence).setEntry(entry).build();
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000);
    }
}
