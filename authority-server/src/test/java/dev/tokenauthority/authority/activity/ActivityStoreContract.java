package dev.tokenauthority.authority.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-minute activity rows ({@link ActivityStore}) on each database. */
abstract class ActivityStoreContract {

    private static final Instant MINUTE = Instant.parse("2026-12-06T10:15:00Z");

    /** An authority on a fresh database of the subclass's kind; JUnit makes a new instance for every test. */
    private final AuthorityFixture fx;

    ActivityStoreContract(TestDatabase.Kind kind) {
        fx = new AuthorityFixture(kind);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private void add(Instant minute, ActivityCounts counts, Long active) {
        fx.authority.transactor().useTransaction(tx -> tx.store(ActivityStore.class).add(minute, counts, active));
    }

    private List<ActivityBucket> since(Instant from) {
        return fx.authority.transactor().read(tx -> tx.store(ActivityStore.class).since(from));
    }

    @Test
    void addingToAMinuteTwiceAddsTheCountsAndKeepsTheLastSample() {
        add(MINUTE, new ActivityCounts(1, 2, 3, 4), 10L);
        add(MINUTE, new ActivityCounts(10, 20, 30, 40), null); // no sample: the earlier one stays
        assertThat(since(MINUTE)).containsExactly(new ActivityBucket(MINUTE, new ActivityCounts(11, 22, 33, 44), 10L));
        add(MINUTE, ActivityCounts.NONE, 7L);
        assertThat(since(MINUTE)).containsExactly(new ActivityBucket(MINUTE, new ActivityCounts(11, 22, 33, 44), 7L));
    }

    @Test
    void minutesComeOldestFirstFromTheGivenMinuteOn() {
        Instant later = MINUTE.plus(Duration.ofMinutes(2));
        Instant earlier = MINUTE.minus(Duration.ofMinutes(1));
        add(later, new ActivityCounts(0, 1, 0, 0), null);
        add(MINUTE, new ActivityCounts(1, 0, 0, 0), null);
        add(earlier, new ActivityCounts(0, 0, 1, 0), null);
        assertThat(since(MINUTE)).extracting(ActivityBucket::start).containsExactly(MINUTE, later);
    }

    @Test
    void replicasAddingToTheSameMinuteAtOnceLoseNoCount() throws Exception {
        int threads = 4;
        int adds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    for (int i = 0; i < adds; i++) {
                        add(MINUTE, new ActivityCounts(1, 2, 0, 1), null);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(since(MINUTE)).singleElement().extracting(ActivityBucket::counts)
                .isEqualTo(new ActivityCounts(threads * adds, 2L * threads * adds, 0, threads * adds));
    }

    @Test
    void deleteBeforeRemovesOnlyOlderMinutes() {
        add(MINUTE.minus(Duration.ofMinutes(1)), new ActivityCounts(1, 0, 0, 0), null);
        add(MINUTE, new ActivityCounts(2, 0, 0, 0), null);
        int removed = fx.authority.transactor().inTransaction(tx -> tx.store(ActivityStore.class).deleteBefore(MINUTE));
        assertThat(removed).isEqualTo(1);
        assertThat(since(Instant.EPOCH)).extracting(ActivityBucket::start).containsExactly(MINUTE);
    }

    @Test
    void activeSessionsLeaveOutEndedExpiredAndForceLoggedOutSessions() {
        String admin = fx.loginAdmin().getAccessToken();
        TokenPair ended = fx.login(AuthorityFixture.ALICE);
        fx.login(AuthorityFixture.BOB);
        fx.login(AuthorityFixture.BOB);
        assertThat(activeSessions(fx.clock.instant())).isEqualTo(4);

        fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(ended.getSessionId())
                .setReason("store test").build());
        assertThat(activeSessions(fx.clock.instant())).isEqualTo(3);
        // A force logout counts at once, before (or without) its session rows following.
        fx.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder()
                .setUserId(fx.user(AuthorityFixture.BOB).id()).setReason("store test").build());
        assertThat(activeSessions(fx.clock.instant())).isEqualTo(1);
        assertThat(activeSessions(fx.clock.instant().plus(Duration.ofDays(400)))).isZero();
    }

    private long activeSessions(Instant now) {
        return fx.authority.transactor().read(tx -> tx.store(ActivityStore.class).countActiveSessions(now));
    }
}
