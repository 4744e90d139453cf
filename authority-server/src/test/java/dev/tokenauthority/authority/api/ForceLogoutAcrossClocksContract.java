package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.TokenStatus;
import dev.tokenauthority.authority.revocation.SessionRowsFollower;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.SessionStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A force logout does not depend on replicas' clocks agreeing: two primaries on one database, one's
 * clock 2 s ahead of the other's (within what the deployment rules allow). A session begun before
 * a force logout dies with it whichever replica began it; a later force logout never moves the
 * watermark back; a session begun after it lives whichever replica ran it. And while the rows
 * follow, a successor that a refresh racing the force logout left is shown REVOKED.
 */
abstract class ForceLogoutAcrossClocksContract extends AuthApiContractBase {

    private static final Duration AHEAD = Duration.ofSeconds(2);

    @Test
    void aSessionBegunOnAReplicaWhoseClockRunsAheadDiesWithAForceLogoutOnAnother() throws Exception {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        try (AuthorityFixture fast = AuthorityFixture.reopen(fx.database, fx.keks)) {
            fast.clock.set(fx.clock.instant().plus(AHEAD));
            TokenPair pair = issueOn(fast, userId);
            fx.clock.advance(Duration.ofMillis(500));

            RevocationResult result = forceLogout(fx, userId);
            assertThat(result.getRevokedSessions()).isEqualTo(1);
            assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
            assertThat(introspect(pair.getRefreshToken()).getActive()).isFalse();
            assertThat(codeOf(() -> refreshAsBackend(pair.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
            new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain();
            assertThat(sessionStatus(pair.getSessionId())).isEqualTo(SessionStatus.REVOKED);
        }
    }

    @Test
    void aLaterForceLogoutOnASlowerReplicaNeverMovesTheWatermarkBack() throws Exception {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        try (AuthorityFixture fast = AuthorityFixture.reopen(fx.database, fx.keks)) {
            fast.authority.sessionRows().close(); // its rows have not followed when the second call lands
            fast.clock.set(fx.clock.instant().plus(AHEAD));
            TokenPair pair = issueOn(fast, userId);
            fast.clock.advance(Duration.ofMillis(100));
            forceLogout(fast, userId);
            Instant first = fx.user(AuthorityFixture.ALICE).tokenInvalidatedAt();
            fx.clock.advance(Duration.ofMillis(300));
            forceLogout(fx, userId);

            assertThat(fx.user(AuthorityFixture.ALICE).tokenInvalidatedAt()).isAfterOrEqualTo(first);
            new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain();
            assertThat(sessionStatus(pair.getSessionId())).isEqualTo(SessionStatus.REVOKED);
            assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
            assertThat(codeOf(() -> refreshAsBackend(pair.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    @Test
    void aSessionBegunOnASlowerReplicaRightAfterAForceLogoutOnAFasterOneLives() throws Exception {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        try (AuthorityFixture fast = AuthorityFixture.reopen(fx.database, fx.keks)) {
            fast.clock.set(fx.clock.instant().plus(AHEAD));
            forceLogout(fast, userId);
            fx.clock.advance(Duration.ofMillis(500));

            TokenPair fresh = fx.issueTo(userId);
            assertThat(introspect(fresh.getAccessToken()).getActive()).isTrue();
            assertThat(refreshAsBackend(fresh.getRefreshToken()).getSessionId()).isEqualTo(fresh.getSessionId());
        }
    }

    @Test
    void whileTheRowsFollowASuccessorLeftByARefreshRacingTheForceLogoutIsShownRevoked() throws Exception {
        fx.authority.sessionRows().close();
        fx.clock.tickOnEveryRead(Duration.ofNanos(1_000));
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<AtomicReference<TokenPair>> latest = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            latest.add(new AtomicReference<>(fx.issueTo(userId)));
        }
        Queue<Status.Code> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> racers = new ArrayList<>();
        for (AtomicReference<TokenPair> chain : latest) {
            Thread racer = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        chain.set(refreshAsBackend(chain.get().getRefreshToken()));
                    } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED) {
                            failures.add(e.getStatus().getCode());
                        }
                        return;
                    }
                }
            });
            racer.start();
            racers.add(racer);
        }
        Thread.sleep(300);
        AdminServiceGrpc.AdminServiceBlockingStub admin = fx.admin(fx.loginAdmin().getAccessToken());
        forceLogout(fx, userId);
        Thread.sleep(100);
        stop.set(true);
        for (Thread racer : racers) {
            racer.join();
        }

        assertThat(failures).isEmpty();
        for (AtomicReference<TokenPair> chain : latest) {
            TokenPair pair = chain.get();
            assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
            assertThat(admin.getToken(GetTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build())
                    .getToken().getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_REVOKED);
        }
    }

    /** IssueTokens on {@code replica} (a reopened fixture seeds nothing: the backend's secret is the first's). */
    private TokenPair issueOn(AuthorityFixture replica, String userId) {
        return replica.auth().issueTokens(IssueTokensRequest.newBuilder().setClientId(AuthorityFixture.BACKEND_CLIENT)
                .setClientSecret(fx.backendSecret).setUserId(userId).build());
    }

    private RevocationResult forceLogout(AuthorityFixture replica, String userId) {
        return replica.admin(fx.loginAdmin().getAccessToken()).revokeUserTokens(RevokeUserTokensRequest.newBuilder()
                .setUserId(userId).setReason("device stolen").build());
    }
}
