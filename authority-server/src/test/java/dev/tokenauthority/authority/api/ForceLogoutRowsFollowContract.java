package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.TokenStatus;
import dev.tokenauthority.authority.revocation.SessionRowsFollower;
import dev.tokenauthority.authority.revocation.SessionRowsToRevokeStore;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.SessionStatus;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A force logout commits its watermark and returns; the rows of the sessions it killed follow
 * after. Between the two, nothing the authority answers may treat those sessions as alive: a
 * refresh is refused, introspection says inactive, listings say REVOKED. And the rows do follow:
 * on this replica after the call, or, if it died first, on whichever replica looks next.
 */
abstract class ForceLogoutRowsFollowContract extends AuthApiContractBase {

    private static final int SESSIONS = 40;

    @Test
    void beforeItsRowsFollowAForceLogoutAlreadyKillsEverySessionItCovers() {
        fx.authority.sessionRows().close(); // the rows will not follow on their own: this test looks in between
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> sessions = issue(userId, SESSIONS);
        RevocationResult result = forceLogout(userId);
        assertThat(result.getRevokedSessions()).isEqualTo(SESSIONS);
        assertThat(result.getRevokedRefreshTokens()).isEqualTo(SESSIONS);

        assertThat(sessionStatus(sessions.get(0).getSessionId())).as("the row, not yet followed")
                .isEqualTo(SessionStatus.ACTIVE);
        for (TokenPair pair : sessions.subList(0, 5)) {
            assertThat(codeOf(() -> refreshAsBackend(pair.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
            assertThat(introspect(pair.getRefreshToken()).getActive()).isFalse();
            assertThat(admin().getToken(GetTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build())
                    .getToken().getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_REVOKED);
        }
        fx.clock.advance(Duration.ofMillis(1));
        TokenPair fresh = fx.issueTo(userId);
        assertThat(introspect(fresh.getAccessToken()).getActive()).as("a session begun after it").isTrue();
        assertThat(admin().listSessions(ListSessionsRequest.newBuilder().setUserId(userId).setPageSize(100).build())
                .getSessionsList()).hasSize(SESSIONS + 1)
                .allSatisfy(s -> assertThat(s.getStatus())
                        .isEqualTo(s.getSessionId().equals(fresh.getSessionId()) ? "ACTIVE" : "REVOKED"));
        assertThat(admin().listSessions(ListSessionsRequest.newBuilder().setUserId(userId).setActiveOnly(true)
                .build()).getSessionsList()).singleElement()
                .satisfies(s -> assertThat(s.getSessionId()).isEqualTo(fresh.getSessionId()));

        int followed = new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain();
        assertThat(followed).isEqualTo(SESSIONS);
        assertThat(sessions).allSatisfy(pair ->
                assertThat(sessionStatus(pair.getSessionId())).isEqualTo(SessionStatus.REVOKED));
        assertThat(sessionStatus(fresh.getSessionId())).isEqualTo(SessionStatus.ACTIVE);
        assertThat(refreshAsBackend(fresh.getRefreshToken()).getSessionId()).isEqualTo(fresh.getSessionId());
        assertThat(liveRowsBegunBy(userId, fx.clock.instant().minus(Duration.ofMillis(1)))).isEqualTo(
                new SessionRowsToRevokeStore.RevokedRows(0, 0));
    }

    @Test
    void theRowsFollowOnTheirOwnAfterTheCall() throws Exception {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> sessions = issue(userId, SESSIONS);
        forceLogout(userId);
        awaitNoLiveRows(userId);
        assertThat(sessions).allSatisfy(pair ->
                assertThat(sessionStatus(pair.getSessionId())).isEqualTo(SessionStatus.REVOKED));
    }

    @Test
    void rowsAReplicaLeftBehindWhenItDiedAreRevokedByTheNextReplicaToStart() throws Exception {
        fx.authority.sessionRows().close(); // this replica "dies" after committing the force logout
        String userId = fx.user(AuthorityFixture.ALICE).id();
        issue(userId, SESSIONS);
        forceLogout(userId);
        assertThat(liveRowsBegunBy(userId, fx.clock.instant()).sessions()).isEqualTo(SESSIONS);

        try (AuthorityFixture next = AuthorityFixture.reopen(fx.database, fx.keks)) {
            awaitNoLiveRows(userId);
        }
    }

    @Test
    void aSecondForceLogoutBeforeTheRowsFollowCoversTheFirst() {
        fx.authority.sessionRows().close();
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> before = issue(userId, 3);
        forceLogout(userId);
        fx.clock.advance(Duration.ofMillis(1));
        List<TokenPair> between = issue(userId, 2);
        forceLogout(userId);

        assertThat(new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain()).isEqualTo(5);
        List<TokenPair> all = new ArrayList<>(before);
        all.addAll(between);
        assertThat(all).allSatisfy(pair ->
                assertThat(sessionStatus(pair.getSessionId())).isEqualTo(SessionStatus.REVOKED));
    }

    private RevocationResult forceLogout(String userId) {
        return admin().revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(userId)
                .setReason("device stolen").build());
    }


    private SessionRowsToRevokeStore.RevokedRows liveRowsBegunBy(String userId, Instant by) {
        return fx.authority.transactor().read(tx -> tx.store(SessionRowsToRevokeStore.class).countLive(userId, by));
    }

    private void awaitNoLiveRows(String userId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (liveRowsBegunBy(userId, fx.clock.instant()).sessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(liveRowsBegunBy(userId, fx.clock.instant())).isEqualTo(new SessionRowsToRevokeStore.RevokedRows(0, 0));
    }
}
