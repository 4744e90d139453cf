package dev.tokenauthority.authority.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.ActivityBucket;
import dev.tokenauthority.api.v1.ActivityRange;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.GetActivityRequest;
import dev.tokenauthority.api.v1.GetActivityResponse;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GetActivity over in-process gRPC with two replicas on one database: each counts in memory and adds its counts to
 * the shared minutes when it flushes (the one answering flushes first), when it stops, and survives a restart.
 */
abstract class ActivityContract {

    /** A whole minute some way into an hour, so a test's few minutes stay in one hour's bucket. */
    private final Instant minute;
    private final AuthorityFixture a;
    private AuthorityFixture b;
    private String admin;

    /** Two replicas on a fresh database of the subclass's kind; JUnit makes a new instance for every test. */
    ActivityContract(TestDatabase.Kind kind) {
        a = new AuthorityFixture(kind);
        b = AuthorityFixture.reopen(a.database, a.keks);
        // Forward only (tokens seeded at start stay in the past): the next hour, ten minutes in.
        minute = a.clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(70));
        setClocks(minute.plusSeconds(10));
        a.setReuseGrace(DemoData.APP_CLIENT, Duration.ZERO);
        admin = a.loginAdmin().getAccessToken();
    }

    @AfterEach
    void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        a.close();
    }

    private void setClocks(Instant at) {
        a.clock.set(at);
        b.clock.set(at);
    }

    private static TokenPair refresh(AuthorityFixture replica, TokenPair pair) {
        return replica.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build());
    }

    private GetActivityResponse activity(AuthorityFixture replica, ActivityRange range) {
        return replica.admin(admin).getActivity(GetActivityRequest.newBuilder().setRange(range).build());
    }

    private static ActivityBucket bucketAt(GetActivityResponse response, Instant start) {
        return response.getBucketsList().stream().filter(x -> x.getStart().getSeconds() == start.getEpochSecond())
                .findFirst().orElseThrow(() -> new AssertionError("no bucket starts at " + start));
    }

    private static List<Long> counts(ActivityBucket bucket) {
        return List.of(bucket.getLogins(), bucket.getRefreshes(), bucket.getRevocations(), bucket.getReuseDetections());
    }

    /** On A: the admin's login and alice's, two refreshes. On B: bob's login, a refresh, a reuse, a revocation. */
    private void traffic() {
        TokenPair alice = a.login(AuthorityFixture.ALICE);
        refresh(a, refresh(a, alice));
        TokenPair bob = b.login(AuthorityFixture.BOB);
        refresh(b, bob);
        assertThatThrownBy(() -> refresh(b, bob)).isInstanceOf(StatusRuntimeException.class); // reuse: bob's session ends
        b.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(alice.getSessionId())
                .setReason("activity test").build());
    }

    @Test
    void bothReplicasCountsAreSummedInTheMinuteTheyHappenedOnceEachHasFlushed() {
        traffic();
        // B has not flushed: its counts are still in its memory (another replica's part lags by up to a minute).
        assertThat(counts(bucketAt(activity(a, ActivityRange.ACTIVITY_RANGE_LAST_HOUR), minute)))
                .containsExactly(2L, 2L, 0L, 0L);

        b.authority.activity().flush();
        GetActivityResponse hour = activity(a, ActivityRange.ACTIVITY_RANGE_LAST_HOUR);
        assertThat(hour.getBucketWidth().getSeconds()).isEqualTo(60);
        assertThat(hour.getBucketsCount()).isEqualTo(60);
        ActivityBucket now = hour.getBuckets(59);
        assertThat(now.getStart().getSeconds()).isEqualTo(minute.getEpochSecond());
        // 3 logins, 3 refreshes, 2 revocations (the admin's and the reuse's), 1 reuse detection.
        assertThat(counts(now)).containsExactly(3L, 2L + 1L, 2L, 1L);
        assertThat(hour.getBucketsList().subList(0, 59)).allSatisfy(x -> assertThat(counts(x)).containsOnly(0L));
        // Only the admin's session is left; the same rule as the sessions page's "active only".
        long activeSessions = a.admin(admin).listSessions(ListSessionsRequest.newBuilder().setActiveOnly(true)
                .setPageSize(10).build()).getTotalSize();
        assertThat(now.hasActiveSessions()).isTrue();
        assertThat(now.getActiveSessions()).isEqualTo(activeSessions).isEqualTo(1);

        GetActivityResponse day = activity(b, ActivityRange.ACTIVITY_RANGE_LAST_DAY);
        assertThat(day.getBucketWidth().getSeconds()).isEqualTo(3600);
        assertThat(day.getBucketsCount()).isEqualTo(24);
        assertThat(counts(day.getBuckets(23))).containsExactly(3L, 3L, 2L, 1L);
        assertThat(day.getBuckets(23).getStart().getSeconds())
                .isEqualTo(minute.truncatedTo(ChronoUnit.HOURS).getEpochSecond());
    }

    @Test
    void eachEventLandsInTheMinuteItHappenedAndAnHourSumsItsMinutes() {
        a.login(AuthorityFixture.ALICE);
        setClocks(minute.plus(Duration.ofMinutes(2)).plusSeconds(5));
        b.login(AuthorityFixture.BOB);
        b.login(AuthorityFixture.BOB);
        b.authority.activity().flush();

        GetActivityResponse hour = activity(a, ActivityRange.ACTIVITY_RANGE_LAST_HOUR);
        assertThat(bucketAt(hour, minute).getLogins()).isEqualTo(2); // the admin and alice
        assertThat(bucketAt(hour, minute.plus(Duration.ofMinutes(1))).getLogins()).isZero();
        assertThat(bucketAt(hour, minute.plus(Duration.ofMinutes(2))).getLogins()).isEqualTo(2);
        assertThat(hour.getBuckets(59).getStart().getSeconds())
                .isEqualTo(minute.plus(Duration.ofMinutes(2)).getEpochSecond());
        // A minute nobody sampled in has no active-session count, rather than a made-up zero.
        assertThat(bucketAt(hour, minute.plus(Duration.ofMinutes(1))).hasActiveSessions()).isFalse();
        assertThat(activity(a, ActivityRange.ACTIVITY_RANGE_LAST_DAY).getBuckets(23).getLogins()).isEqualTo(4);

        // An hour later the minutes have left the hour's chart, and the day's chart still has them.
        setClocks(minute.plus(Duration.ofMinutes(62)));
        admin = a.loginAdmin().getAccessToken(); // the first one has expired: a login in the newest minute
        GetActivityResponse later = activity(a, ActivityRange.ACTIVITY_RANGE_LAST_HOUR);
        assertThat(later.getBucketsList().subList(0, 59)).allSatisfy(x -> assertThat(x.getLogins()).isZero());
        assertThat(later.getBuckets(59).getLogins()).isEqualTo(1);
        assertThat(activity(a, ActivityRange.ACTIVITY_RANGE_LAST_DAY).getBuckets(22).getLogins()).isEqualTo(4);
    }

    @Test
    void aReplicaStoppingFlushesItsLastCountsAndTheySurviveTheRestart() throws Exception {
        traffic();
        b.login(AuthorityFixture.BOB); // counted by B only in memory until it stops
        b.close(); // the authority's close flushes, as at SIGTERM
        b = AuthorityFixture.reopen(a.database, a.keks);
        b.clock.set(a.clock.instant());

        // The restarted B reads what the old B flushed as it stopped (A has not flushed yet: not in it).
        assertThat(counts(bucketAt(activity(b, ActivityRange.ACTIVITY_RANGE_LAST_HOUR), minute)))
                .containsExactly(2L, 1L, 2L, 1L);
        assertThat(counts(bucketAt(activity(a, ActivityRange.ACTIVITY_RANGE_LAST_HOUR), minute)))
                .containsExactly(4L, 3L, 2L, 1L);
    }

    @Test
    void countsKeptByAFailedFlushAreAddedByTheNextOne() {
        b.login(AuthorityFixture.ALICE);
        b.login(AuthorityFixture.BOB);
        renameTable("activity_minutes", "activity_minutes_away"); // the flush's statements fail
        assertThatThrownBy(() -> b.authority.activity().flush()).isInstanceOf(RuntimeException.class);
        renameTable("activity_minutes_away", "activity_minutes");
        b.authority.activity().flush();
        assertThat(bucketAt(activity(a, ActivityRange.ACTIVITY_RANGE_LAST_HOUR), minute).getLogins())
                .isEqualTo(3); // the admin's on A, and both of B's
    }

    private void renameTable(String from, String to) {
        a.db.jdbi().useHandle(h -> h.execute("ALTER TABLE " + from + " RENAME TO " + to));
    }

    @Test
    void anUnknownOrMissingRangeIsRefusedNamingTheField() {
        for (GetActivityRequest request : List.of(GetActivityRequest.getDefaultInstance(),
                GetActivityRequest.newBuilder().setRangeValue(99).build())) {
            assertThatThrownBy(() -> a.admin(admin).getActivity(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("range:");
                    });
        }
    }

    @Test
    void anAppUsersTokenOrNoTokenIsRefusedAsByEveryAdminCall() {
        String appToken = a.login(AuthorityFixture.ALICE).getAccessToken();
        GetActivityRequest request = GetActivityRequest.newBuilder()
                .setRange(ActivityRange.ACTIVITY_RANGE_LAST_HOUR).build();
        assertThatThrownBy(() -> a.admin(appToken).getActivity(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> AdminServiceGrpc.newBlockingStub(a.channel()).getActivity(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }
}
