package dev.tokenauthority.sidecar.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Freshness counts from what the authority read from its database, not from when a heartbeat arrived. */
class FeedFreshnessTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final FeedFreshness freshness = new FeedFreshness(clock, Duration.ofSeconds(30));

    @Test
    void aHeartbeatVouchesForTheMomentItsReplicaReadTheLogCountedOnTheAuthoritysClock() {
        // The authority's clock is an hour ahead; its last read of the log was 4 s before it sent this.
        long serverTime = NOW.plus(Duration.ofHours(1)).toEpochMilli();
        freshness.vouched(7, 7, serverTime, serverTime - 4_000);

        assertThat(freshness.ageMillis()).isEqualTo(4_000);
        assertThat(freshness.isFresh()).isTrue();
    }

    /** G3: a replica that can no longer read the database cannot keep its sidecars fresh with heartbeats. */
    @Test
    void heartbeatsWhoseReadTimeStandsStillLetTheStateGoStale() {
        long readAt = NOW.toEpochMilli();
        for (int second = 0; second <= 31; second++) {
            freshness.vouched(7, 7, NOW.plusSeconds(second).toEpochMilli(), readAt);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(freshness.ageMillis()).isEqualTo(32_000);
        assertThat(freshness.isFresh()).isFalse();
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
        freshness.vouched(7, 7, NOW.toEpochMilli(), NOW.minusSeconds(20).toEpochMilli());

        assertThat(freshness.ageMillis()).isZero();
    }
}
