package dev.tokenauthority.authority.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenFilter;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.revocation.SessionRowsFollower;
import dev.tokenauthority.authority.revocation.SessionRowsToRevokeStore;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every revocation that ends sessions locks rows in the order a refresh does (the session, then
 * its tokens), so a revocation racing refreshes of the sessions it ends waits for them instead of
 * deadlocking with them: it never fails, and no racing refresh fails with anything but
 * UNAUTHENTICATED. A deadlock shows as INTERNAL once the retries run out; with the old order
 * (tokens, sessions, tokens again) a force logout racing two dozen refreshing sessions hit one in
 * a few rounds on PostgreSQL.
 */
abstract class RevocationRacingRefreshContract extends RefreshRotationContractBase {

    private static final int SESSIONS = 16;
    private static final int ROUNDS = 6;

    /**
     * The revocation under test, given an admin stub, the user, and each racing session's latest
     * refresh token id (by session id), updated by the racers as they rotate.
     */
    @FunctionalInterface
    interface Revocation {
        void revoke(AdminServiceGrpc.AdminServiceBlockingStub admin, String userId, Map<String, String> latestTokens);
    }

    @Test
    void aForceLogoutRacingRefreshesNeverDeadlocks() throws Exception {
        raceRounds(ROUNDS, true, (admin, userId, latestTokens) -> admin.revokeUserTokens(
                RevokeUserTokensRequest.newBuilder().setUserId(userId).setReason("race").build()));
    }

    @Test
    void revokingTheSessionsOneByOneRacingTheirRefreshesNeverDeadlocks() throws Exception {
        raceRounds(ROUNDS, true, (admin, userId, latestTokens) -> latestTokens.keySet().forEach(sessionId ->
                admin.revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId).setReason("race").build())));
    }

    @Test
    void aBulkRevocationByFilterRacingRefreshesNeverDeadlocks() throws Exception {
        raceRounds(ROUNDS, true, (admin, userId, latestTokens) -> admin.batchRevokeTokens(
                BatchRevokeTokensRequest.newBuilder().setFilter(TokenFilter.newBuilder().setUserId(userId))
                        .setReason("race").build()));
    }

    @Test
    void aBulkRevocationWhoseTokenRowsFollowRacingRefreshesNeverDeadlocks() throws Exception {
        // Enough idle sessions of the user besides the racers that the tokens' rows follow the call.
        raceRounds(ROUNDS, Revocations.TOKEN_ROWS_IN_CALL_MAX, (admin, userId, latestTokens) -> admin.batchRevokeTokens(
                BatchRevokeTokensRequest.newBuilder().setFilter(TokenFilter.newBuilder().setUserId(userId))
                        .setReason("race").build()));
    }

    @Test
    void revokingEverythingRacingRefreshesNeverDeadlocks() throws Exception {
        raceRounds(ROUNDS, true, (admin, userId, latestTokens) -> admin.revokeAllSessions(
                RevokeAllSessionsRequest.newBuilder().setReason("race").setConfirm("REVOKE ALL SESSIONS").build()));
    }

    @Test
    void suspendingTokensRacingTheirRefreshesNeverDeadlocks() throws Exception {
        // Fewer rounds: each suspension chases a token its racer keeps rotating, one call per try.
        raceRounds(2, false, (admin, userId, latestTokens) -> {
            int suspended = 0;
            for (String sessionId : latestTokens.keySet()) {
                // Each token lives as long as its racer takes to rotate it: chase the latest a few times.
                for (int attempt = 0; attempt < 20; attempt++) {
                    try {
                        admin.suspendToken(SuspendTokenRequest.newBuilder().setTokenId(latestTokens.get(sessionId))
                                .setReason("race").build());
                        suspended++;
                        break;
                    } catch (StatusRuntimeException e) {
                        // The racer rotated it first: only an ACTIVE token can be suspended.
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    }
                }
            }
            assertThat(suspended).as("tokens suspended while their sessions refreshed").isPositive();
        });
    }

    private void raceRounds(int rounds, boolean endsEverySession, Revocation revocation) throws Exception {
        raceRounds(rounds, endsEverySession, 0, revocation);
    }

    private void raceRounds(int rounds, int idleSessions, Revocation revocation) throws Exception {
        raceRounds(rounds, true, idleSessions, revocation);
    }

    private void raceRounds(int rounds, boolean endsEverySession, int idleSessions, Revocation revocation)
            throws Exception {
        fx.clock.tickOnEveryRead(Duration.ofNanos(1_000));
        for (int round = 0; round < rounds; round++) {
            // A fresh admin token each round: revoking everything ends the admin's session too.
            AdminServiceGrpc.AdminServiceBlockingStub admin = fx.admin(fx.loginAdmin().getAccessToken());
            String userId = fx.createUser("racer-" + round + "@example.com", List.of()).id();
            List<TokenPair> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(fx.issueTo(userId));
            }
            for (int i = 0; i < idleSessions; i++) {
                fx.issueTo(userId);
            }
            Map<String, String> latestTokens = new ConcurrentHashMap<>();
            sessions.forEach(pair -> latestTokens.put(pair.getSessionId(), pair.getRefreshTokenId()));
            Map<Status.Code, Integer> refreshOutcomes = race(sessions, latestTokens,
                    () -> revocation.revoke(admin, userId, latestTokens));
            assertThat(refreshOutcomes.keySet()).as("refresh outcomes in round %d", round)
                    .isSubsetOf(Status.Code.OK, Status.Code.UNAUTHENTICATED);
            if (endsEverySession) {
                // No racer's successor outlives the revocation in the rows either (a force logout's
                // rows, and a large bulk revocation's tokens' rows, follow after the call: drain them
                // here rather than wait).
                new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain();
                Instant now = fx.clock.instant();
                SessionRowsToRevokeStore.RevokedRows live = fx.authority.transactor()
                        .read(tx -> tx.store(SessionRowsToRevokeStore.class).countLive(userId, now));
                assertThat(live).as("live rows in round %d", round)
                        .isEqualTo(new SessionRowsToRevokeStore.RevokedRows(0, 0));
            }
        }
    }

    /**
     * Each session refreshes in a loop on its own thread; once each has rotated twice, runs
     * {@code revocation} (which must not throw), then stops the racers and counts their outcomes.
     */
    private Map<Status.Code, Integer> race(List<TokenPair> sessions, Map<String, String> latestTokens,
            Runnable revocation) throws Exception {
        Map<Status.Code, Integer> outcomes = new ConcurrentHashMap<>();
        AtomicInteger rotations = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(sessions.size());
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (TokenPair first : sessions) {
                racers.add(pool.submit(() -> {
                    String latest = first.getRefreshToken();
                    while (!stop.get()) {
                        try {
                            TokenPair next = refreshAsBackend(latest);
                            latest = next.getRefreshToken();
                            latestTokens.put(next.getSessionId(), next.getRefreshTokenId());
                            outcomes.merge(Status.Code.OK, 1, Integer::sum);
                            rotations.incrementAndGet();
                        } catch (StatusRuntimeException e) {
                            outcomes.merge(e.getStatus().getCode(), 1, Integer::sum);
                            return null; // refused: the session was ended (or a failure, counted)
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rotations.get() < 2 * sessions.size() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            revocation.run();
            stop.set(true);
            for (Future<?> racer : racers) {
                racer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    private TokenPair refreshAsBackend(String refreshToken) {
        return fx.auth().refresh(RefreshRequest.newBuilder().setClientId(AuthorityFixture.BACKEND_CLIENT)
                .setClientSecret(fx.backendSecret).setRefreshToken(refreshToken).build());
    }
}
