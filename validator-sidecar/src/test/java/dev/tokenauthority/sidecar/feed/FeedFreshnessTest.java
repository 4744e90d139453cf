package dev.tokenauthority.sidecar.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Freshness counts from what the authority read from its database, not from when a heartbeat arrived.
 *
 * <p>Proves G3 of docs/guarantees.md.
 */
class FeedFreshnessTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final FeedFreshness freshness = new FeedFreshness(clock, Duration.ofSeconds(30));

    @Test
    void aHeartbeatVouchesForTheMomentItsReplicaReadTheLogCountedOnTheAuthoritysClock() {
        // The authority's clock is an hour ahead; its last read of the log was 4 s before it sent this.
        long serverTime = NOW.plus(Duration.ofHours(1)).toEpochMilli();
        freshness.vouched(7, 7, serverTime - 4_000, serverTime);

        assertThat(freshness.ageMillis()).isEqualTo(4_000);
        assertThat(freshness.isFresh()).isTrue();
    }

    /** G3: a replica that can no longer read the database cannot keep its sidecars fresh with heartbeats. */
    @Test
    void heartbeatsWhoseReadTimeStandsStillLetTheStateGoStale() {
        long readAt = NOW.toEpochMilli();
        for (int second = 0; second <= 31; second++) {
            freshness.vouched(7, 7, readAt, NOW.plusSeconds(second).toEpochMilli());
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(freshness.ageMillis()).isEqualTo(32_000);
        assertThat(freshness.isFresh()).isFalse();
    }

    @Test
    void aHeartbeatThatArrivesLateVouchesForWhenItsReplicaReadTheLogNotForItsArrival() {
        // Sent when the sidecar was paused: read at NOW - 100 ms, arriving 20 s later.
        clock.advance(Duration.ofSeconds(20));
        freshness.vouched(7, 7, NOW.minusMillis(100).toEpochMilli(), NOW.toEpochMilli());

        assertThat(freshness.ageMillis()).isEqualTo(20_100);
    }

    @Test
    void anEventVouchesForTheMomentItWasRecorded() {
        clock.advance(Duration.ofSeconds(3));
        freshness.vouched(9, 9, NOW.toEpochMilli(), NOW.toEpochMilli());

        assertThat(freshness.ageMillis()).isEqualTo(3_000);
    }

    @Test
    void aHeartbeatAheadOfWhatWasAppliedDoesNotMakeTheStateFresh() {
        freshness.vouched(8, 7, NOW.toEpochMilli(), NOW.toEpochMilli());

        assertThat(freshness.hasSnapshot()).isFalse();
        assertThat(freshness.authoritySequence()).isEqualTo(8);
    }

    @Test
    void anOlderVouchNeverMovesFreshnessBack() {
        freshness.vouched(7, 7, NOW.toEpochMilli(), NOW.toEpochMilli());
        freshness.vouched(7, 7, NOW.minusSeconds(20).toEpochMilli(), NOW.toEpochMilli());

        assertThat(freshness.ageMillis()).isZero();
    }
}
