package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokeResult;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.BatchRevokeTokensResponse;
import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ResumeTokenRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenDetails;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.TokenStatus;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.revocation.SessionRowsFollower;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStatus;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A revocation of more than {@link Revocations#TOKEN_ROWS_IN_CALL_MAX} sessions revokes the
 * session rows and returns; the tokens' rows follow after. Between the two, a token of such a
 * session is dead everywhere the authority answers (its session says so): a refresh is refused
 * (and not recorded as an expiry), introspection says inactive, GetToken and listings say REVOKED
 * with who and why, a suspend or resume is refused, and naming it again in a bulk revocation says
 * it was already revoked. And the rows do follow: on this replica after the call, or, if it died
 * first, on whichever replica looks next.
 */
abstract class BulkRevocationRowsFollowContract extends AuthApiContractBase {

    private static final int SESSIONS = Revocations.TOKEN_ROWS_IN_CALL_MAX + 20;
    private static final Pattern JTI = Pattern.compile("\"jti\"\\s*:\\s*\"([^\"]+)\"");

    @Test
    void beforeTheirRowsFollowTheTokensOfABulkRevocationAreAlreadyDeadEverywhere() {
        fx.authority.sessionRows().close(); // the rows will not follow on their own: this test looks in between
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> pairs = issue(userId, SESSIONS);
        TokenPair suspended = pairs.get(1);
        admin().suspendToken(SuspendTokenRequest.newBuilder().setTokenId(suspended.getRefreshTokenId())
                .setReason("under review").build());

        BatchRevokeTokensResponse response = revokeAll(pairs);
        assertThat(response.getRevokedCount()).isEqualTo(SESSIONS);
        assertThat(storedStatus(pairs.get(0))).as("the row, not yet followed").isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(sessionStatus(pairs.get(0).getSessionId())).isEqualTo(SessionStatus.REVOKED);

        for (TokenPair pair : List.of(pairs.get(0), suspended, pairs.get(SESSIONS - 1))) {
            assertThat(codeOf(() -> refreshAsBackend(pair.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
            assertThat(introspect(pair.getRefreshToken()).getActive()).isFalse();
            TokenDetails details = admin().getToken(GetTokenRequest.newBuilder()
                    .setTokenId(pair.getRefreshTokenId()).build());
            assertThat(details.getToken().getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_REVOKED);
            assertThat(details.getRevokeReason()).isEqualTo("incident 42");
            assertThat(details.hasRevokedAt()).isTrue();
            assertThat(details.getLatestAccessToken().getRevoked()).isTrue();
        }
        assertThat(storedStatus(pairs.get(0))).as("a refused refresh does not mark it expired")
                .isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(codeOf(() -> admin().resumeToken(ResumeTokenRequest.newBuilder()
                .setTokenId(suspended.getRefreshTokenId()).setReason("cleared").build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(codeOf(() -> admin().suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(pairs.get(2).getRefreshTokenId()).setReason("late").build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(admin().listTokens(ListTokensRequest.newBuilder().setUserId(userId).setPageSize(SESSIONS + 10)
                .build())
                .getTokensList()).hasSize(SESSIONS)
                .allSatisfy(t -> assertThat(t.getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_REVOKED));
        BatchRevokeTokensResponse again = revokeAll(pairs);
        assertThat(again.getRevokedCount()).isZero();
        assertThat(again.getResultsList()).allSatisfy(r ->
                assertThat(r.getOutcome()).isEqualTo(BatchRevokeResult.Outcome.OUTCOME_ALREADY_REVOKED));

        assertThat(new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain()).isEqualTo(SESSIONS);
        assertThat(pairs).allSatisfy(pair -> {
            RefreshToken row = storedRow(pair);
            assertThat(row.status()).isEqualTo(RefreshTokenStatus.REVOKED);
            assertThat(row.revokeReason()).isEqualTo("incident 42");
            assertThat(accessTokenRevoked(pair)).isTrue();
        });
        assertThat(new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain()).as("nothing left").isZero();
    }

    @Test
    void aRevocationOfFewSessionsStillRewritesItsTokensRowsInItsOwnTransaction() {
        fx.authority.sessionRows().close();
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> pairs = issue(userId, Revocations.TOKEN_ROWS_IN_CALL_MAX);
        revokeAll(pairs);
        assertThat(pairs).allSatisfy(pair -> assertThat(storedStatus(pair)).isEqualTo(RefreshTokenStatus.REVOKED));
        assertThat(new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain()).isZero();
    }

    @Test
    void theRowsFollowOnTheirOwnAfterTheCall() {
        List<TokenPair> pairs = issue(fx.user(AuthorityFixture.ALICE).id(), SESSIONS);
        revokeAll(pairs);
        awaitRowsRevoked(pairs);
    }

    @Test
    void rowsAReplicaLeftBehindWhenItDiedAreRevokedByTheNextReplicaToStart() throws Exception {
        fx.authority.sessionRows().close(); // this replica "dies" after committing the revocation
        List<TokenPair> pairs = issue(fx.user(AuthorityFixture.ALICE).id(), SESSIONS);
        revokeAll(pairs);
        assertThat(storedStatus(pairs.get(0))).isEqualTo(RefreshTokenStatus.ACTIVE);

        try (AuthorityFixture next = AuthorityFixture.reopen(fx.database, fx.keks)) {
            awaitRowsRevoked(pairs);
        }
    }

    @Test
    void aForceLogoutAfterABulkRevocationNeitherCountsItsDeadTokensNorRewritesWhoRevokedThem() {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> pairs = revokedWithRowsLeftToFollow(userId);

        RevocationResult forced = admin().revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(userId)
                .setReason("force logout").build());
        assertThat(forced.getRevokedSessions()).as("every session of the user was revoked already").isZero();
        assertThat(forced.getRevokedRefreshTokens()).as("every token of the user was dead already").isZero();

        assertRowsFollowNamingTheBulkRevocation(pairs);
    }

    @Test
    void aRevocationOfEverythingAfterABulkRevocationNeitherCountsItsDeadTokensNorRewritesWhoRevokedThem() {
        fx.authority.sessionRows().close();
        List<TokenPair> pairs = issue(fx.user(AuthorityFixture.ALICE).id(), SESSIONS);
        var admin = admin(); // one admin session: the revocation of everything counts its token
        revokeAll(admin, pairs);

        RevocationResult everything = admin.revokeAllSessions(RevokeAllSessionsRequest.newBuilder()
                .setReason("emergency").setConfirm("REVOKE ALL SESSIONS").build());
        assertThat(everything.getRevokedRefreshTokens()).as("the bulk revocation's tokens were dead already")
                .isLessThan(SESSIONS);

        assertRowsFollowNamingTheBulkRevocation(pairs);
    }

    @Test
    void revokingAnAccessTokenWhoseSessionABulkRevocationEndedChangesNothing() {
        List<TokenPair> pairs = revokedWithRowsLeftToFollow(fx.user(AuthorityFixture.ALICE).id());
        Matcher jti = JTI.matcher(payload(pairs.get(0).getAccessToken()));
        assertThat(jti.find()).isTrue();

        RevocationResult again = admin().revokeToken(RevokeTokenRequest.newBuilder().setTokenId(jti.group(1))
                .setReason("late").build());
        assertThat(again.getFeedSequence()).as("already dead with its session: no new feed entry").isZero();
    }

    /** The user's tokens of {@link #SESSIONS} sessions, revoked in bulk, with their rows left to follow. */
    private List<TokenPair> revokedWithRowsLeftToFollow(String userId) {
        fx.authority.sessionRows().close(); // the rows will not follow on their own: the test looks in between
        List<TokenPair> pairs = issue(userId, SESSIONS);
        revokeAll(pairs);
        return pairs;
    }

    /** Drains what is left to follow; every row then names the bulk revocation. */
    private void assertRowsFollowNamingTheBulkRevocation(List<TokenPair> pairs) {
        new SessionRowsFollower(fx.authority.transactor(), fx.clock).drain();
        assertThat(pairs).allSatisfy(pair -> assertThat(storedRow(pair).revokeReason())
                .as("the row says what revoked the token, not what came after").isEqualTo("incident 42"));
    }

    private BatchRevokeTokensResponse revokeAll(List<TokenPair> pairs) {
        return revokeAll(admin(), pairs);
    }

    private static BatchRevokeTokensResponse revokeAll(AdminServiceGrpc.AdminServiceBlockingStub admin,
            List<TokenPair> pairs) {
        return admin.batchRevokeTokens(BatchRevokeTokensRequest.newBuilder()
                .addAllTokenIds(pairs.stream().map(TokenPair::getRefreshTokenId).toList())
                .setReason("incident 42").build());
    }

    private RefreshToken storedRow(TokenPair pair) {
        return fx.authority.transactor().read(tx -> tx.store(RefreshTokenStore.class)
                .findById(pair.getRefreshTokenId())).orElseThrow();
    }

    private RefreshTokenStatus storedStatus(TokenPair pair) {
        return storedRow(pair).status();
    }

    private boolean accessTokenRevoked(TokenPair pair) {
        Matcher jti = JTI.matcher(payload(pair.getAccessToken()));
        assertThat(jti.find()).isTrue();
        return fx.authority.transactor().read(tx -> tx.store(AccessTokenStore.class).findByJti(jti.group(1)))
                .orElseThrow().revokedAt() != null;
    }

    private void awaitRowsRevoked(List<TokenPair> pairs) {
        Eventually.until(Duration.ofSeconds(20), "the tokens' rows revoked",
                () -> pairs.stream().allMatch(p -> storedStatus(p) == RefreshTokenStatus.REVOKED));
        assertThat(pairs).allSatisfy(pair -> {
            assertThat(storedStatus(pair)).isEqualTo(RefreshTokenStatus.REVOKED);
            assertThat(accessTokenRevoked(pair)).isTrue();
        });
    }
}
