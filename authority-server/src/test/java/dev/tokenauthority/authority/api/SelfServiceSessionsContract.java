package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.ListMySessionsRequest;
import dev.tokenauthority.api.v1.ListMySessionsResponse;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.MySession;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeMyOtherSessionsRequest;
import dev.tokenauthority.api.v1.RevokeMySessionRequest;
import dev.tokenauthority.api.v1.RevokeMySessionResponse;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.issuance.AccessTokenSigner;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.SessionStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user's own sessions through real gRPC (ListMySessions, RevokeMySession, RevokeMyOtherSessions),
 * authenticated by the user's access token, on H2 and PostgreSQL; and what an attacker holding
 * another kind of credential, or guessing ids, cannot do with them.
 */
abstract class SelfServiceSessionsContract extends AuthApiContractBase {

    private AuthServiceGrpc.AuthServiceBlockingStub as(String accessToken) {
        return fx.auth().withInterceptors(AuthorityFixture.bearer(accessToken));
    }

    private AuthServiceGrpc.AuthServiceBlockingStub as(TokenPair pair) {
        return as(pair.getAccessToken());
    }

    private static ListMySessionsRequest firstPage() {
        return ListMySessionsRequest.getDefaultInstance();
    }

    private static RevokeMySessionRequest session(String id) {
        return RevokeMySessionRequest.newBuilder().setSessionId(id).build();
    }

    private TokenPair loginToApp(String email, String deviceName) {
        return fx.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername(email)
                .setPassword(DemoData.USER_PASSWORD).setDevice(dev.tokenauthority.api.v1.Device.newBuilder()
                        .setName(deviceName).setUserAgent("Firefox/140 on " + deviceName).setDeviceId("dev-" + deviceName))
                .build());
    }

    private Status.Code refreshCode(TokenPair pair) {
        return codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build()));
    }

    private List<LogRow> sessionFeedEntries(String sessionId) {
        return fx.authority.transactor().read(tx -> tx.store(RevocationLogStore.class).findAfter(0, 10_000)).stream()
                .filter(row -> row.kind().equals("SESSION") && sessionId.equals(row.subject()))
                .toList();
    }

    private List<AuditEvent> auditOf(String action) {
        return admin().listAuditEvents(ListAuditEventsRequest.newBuilder().setAction(action).build()).getEventsList();
    }

    @Test
    void listShowsOnlyTheCallersActiveSessionsNewestFirstWithTheCallingOneMarked() {
        TokenPair laptop = loginToApp(AuthorityFixture.ALICE, "laptop");
        fx.clock.advance(Duration.ofSeconds(5));
        TokenPair phone = loginToApp(AuthorityFixture.ALICE, "phone");
        fx.clock.advance(Duration.ofSeconds(5));
        TokenPair ended = loginToApp(AuthorityFixture.ALICE, "old tablet");
        fx.login(AuthorityFixture.BOB);
        as(phone).revokeMySession(session(ended.getSessionId()));

        ListMySessionsResponse mine = as(laptop).listMySessions(firstPage());

        assertThat(mine.getSessionsList()).extracting(MySession::getSessionId)
                .containsExactly(phone.getSessionId(), laptop.getSessionId());
        assertThat(mine.getTotalSize()).isEqualTo(2);
        assertThat(mine.getUserEmail()).isEqualTo(AuthorityFixture.ALICE);
        assertThat(mine.getSessionsList()).extracting(MySession::getCurrent).containsExactly(false, true);
        MySession current = mine.getSessions(1);
        assertThat(current.getClientId()).isEqualTo(DemoData.APP_CLIENT);
        assertThat(current.getClientName()).isEqualTo("Demo application");
        assertThat(current.getDeviceName()).isEqualTo("laptop");
        assertThat(current.getDeviceId()).isEqualTo("dev-laptop");
        assertThat(current.getUserAgent()).isEqualTo("Firefox/140 on laptop");
        assertThat(current.getIp()).isNotEmpty();
        assertThat(current.getLoginAt().getSeconds()).isEqualTo(current.getLastSeenAt().getSeconds());
        // The same list from the other device marks that one.
        assertThat(as(phone).listMySessions(firstPage()).getSessionsList())
                .extracting(MySession::getCurrent).containsExactly(true, false);
    }

    @Test
    void listIsPagedAndAPageTokenContinuesOnlyTheSameUsersList() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> sessions = issue(aliceId, 5);
        var first = as(sessions.get(0)).listMySessions(ListMySessionsRequest.newBuilder().setPageSize(2).build());
        assertThat(first.getSessionsCount()).isEqualTo(2);
        assertThat(first.getTotalSize()).isEqualTo(5);
        List<String> seen = new ArrayList<>(first.getSessionsList().stream().map(MySession::getSessionId).toList());
        String token = first.getNextPageToken();
        while (!token.isEmpty()) {
            var next = as(sessions.get(0)).listMySessions(ListMySessionsRequest.newBuilder().setPageSize(2)
                    .setPageToken(token).build());
            next.getSessionsList().forEach(s -> seen.add(s.getSessionId()));
            token = next.getNextPageToken();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(sessions.stream().map(TokenPair::getSessionId).toList());

        TokenPair bob = fx.login(AuthorityFixture.BOB);
        StatusRuntimeException foreignPage = failure(() -> as(bob).listMySessions(ListMySessionsRequest.newBuilder()
                .setPageSize(2).setPageToken(first.getNextPageToken()).build()));
        assertThat(foreignPage.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(foreignPage.getStatus().getDescription()).contains("page_token");
        assertThat(codeOf(() -> as(bob).listMySessions(ListMySessionsRequest.newBuilder().setPageSize(-1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void revokingOwnOtherSessionKillsItsRefreshItsAccessTokenAndPutsItOnTheFeedAudited() {
        TokenPair laptop = loginToApp(AuthorityFixture.ALICE, "laptop");
        TokenPair stolen = loginToApp(AuthorityFixture.ALICE, "stolen phone");

        RevokeMySessionResponse response = as(laptop).revokeMySession(session(stolen.getSessionId()));

        assertThat(response.getAlreadyRevoked()).isFalse();
        assertThat(response.getWasCurrent()).isFalse();
        assertThat(response.getFeedSequence()).isPositive();
        assertThat(refreshCode(stolen)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(introspect(stolen.getAccessToken()).getActive()).isFalse();
        assertThat(sessionFeedEntries(stolen.getSessionId())).extracting(LogRow::sequence)
                .containsExactly(response.getFeedSequence());
        assertThat(sessionStatus(stolen.getSessionId())).isEqualTo(SessionStatus.REVOKED);
        List<AuditEvent> audited = auditOf("session.revoke_own");
        assertThat(audited).singleElement().satisfies(event -> {
            assertThat(event.getActorType()).isEqualTo("USER");
            assertThat(event.getActorId()).isEqualTo(fx.user(AuthorityFixture.ALICE).id());
            assertThat(event.getTargetId()).isEqualTo(stolen.getSessionId());
            assertThat(event.getReason()).isEqualTo("ended by the user");
        });
        // The caller's own session goes on.
        assertThat(introspect(laptop.getAccessToken()).getActive()).isTrue();
        assertThat(refreshCode(laptop)).isEqualTo(Status.Code.OK);
    }

    @Test
    void revokingAnAlreadyEndedSessionIsIdempotentAndSaysSo() {
        TokenPair laptop = loginToApp(AuthorityFixture.ALICE, "laptop");
        TokenPair phone = loginToApp(AuthorityFixture.ALICE, "phone");
        as(laptop).revokeMySession(session(phone.getSessionId()));
        long entries = sessionFeedEntries(phone.getSessionId()).size();

        RevokeMySessionResponse again = as(laptop).revokeMySession(session(phone.getSessionId()));

        assertThat(again.getAlreadyRevoked()).isTrue();
        assertThat(again.getFeedSequence()).isZero();
        assertThat(sessionFeedEntries(phone.getSessionId())).hasSize((int) entries);
        assertThat(auditOf("session.revoke_own")).hasSize(1);
    }

    @Test
    void revokingTheCallingSessionIsALogout() {
        TokenPair laptop = loginToApp(AuthorityFixture.ALICE, "laptop");

        RevokeMySessionResponse response = as(laptop).revokeMySession(session(laptop.getSessionId()));

        assertThat(response.getWasCurrent()).isTrue();
        assertThat(response.getAlreadyRevoked()).isFalse();
        assertThat(refreshCode(laptop)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> as(laptop).listMySessions(firstPage()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void anotherUsersSessionIsNotFoundExactlyAsAnUnknownOneAndNothingChanges() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);

        StatusRuntimeException foreign = failure(() -> as(alice).revokeMySession(session(bob.getSessionId())));
        StatusRuntimeException unknown = failure(() -> as(alice).revokeMySession(session("ses_doesNotExist00000000")));

        assertThat(foreign.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        // The same words, the id swapped: nothing tells "someone else's" from "none".
        assertThat(foreign.getStatus().getDescription().replace(bob.getSessionId(), "<id>"))
                .isEqualTo(unknown.getStatus().getDescription().replace("ses_doesNotExist00000000", "<id>"));
        assertThat(sessionStatus(bob.getSessionId())).isEqualTo(SessionStatus.ACTIVE);
        assertThat(sessionFeedEntries(bob.getSessionId())).isEmpty();
        assertThat(introspect(bob.getAccessToken()).getActive()).isTrue();
        assertThat(refreshCode(bob)).isEqualTo(Status.Code.OK);
        assertThat(auditOf("session.revoke_own")).isEmpty();
    }

    @Test
    void guessingSessionIdsEndsNoOneElsesSession() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        String bobs = bob.getSessionId();
        // Near misses of a real id, and the id in other cases: each is someone else's or no one's.
        List<String> guesses = List.of(bobs.substring(0, bobs.length() - 1) + "A", bobs.toUpperCase().replace("SES_", "ses_"),
                bobs + "0", "ses_" + "A".repeat(22));
        for (String guess : guesses) {
            assertThat(codeOf(() -> as(alice).revokeMySession(session(guess)))).as(guess).isEqualTo(Status.Code.NOT_FOUND);
        }
        assertThat(codeOf(() -> as(alice).revokeMySession(session(bobs)))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(sessionStatus(bobs)).isEqualTo(SessionStatus.ACTIVE);
        assertThat(as(bob).listMySessions(firstPage()).getSessionsList()).extracting(MySession::getSessionId)
                .containsExactly(bobs);
    }

    @Test
    void revokeOthersKeepsTheCallingSessionAndEndsTheRestOfTheCallersOnly() {
        TokenPair laptop = loginToApp(AuthorityFixture.ALICE, "laptop");
        TokenPair phone = loginToApp(AuthorityFixture.ALICE, "phone");
        TokenPair backend = fx.issueTo(fx.user(AuthorityFixture.ALICE).id());
        TokenPair bob = fx.login(AuthorityFixture.BOB);

        var result = as(laptop).revokeMyOtherSessions(RevokeMyOtherSessionsRequest.getDefaultInstance());

        assertThat(result.getRevokedSessions()).isEqualTo(2);
        assertThat(result.getFeedSequence()).isPositive();
        assertThat(refreshCode(phone)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(introspect(backend.getAccessToken()).getActive()).isFalse();
        assertThat(sessionFeedEntries(phone.getSessionId())).hasSize(1);
        assertThat(introspect(laptop.getAccessToken()).getActive()).isTrue();
        assertThat(introspect(bob.getAccessToken()).getActive()).isTrue();
        assertThat(as(laptop).listMySessions(firstPage()).getSessionsList()).extracting(MySession::getSessionId)
                .containsExactly(laptop.getSessionId());
        assertThat(auditOf("session.revoke_own_others")).hasSize(2)
                .allSatisfy(e -> assertThat(e.getActorId()).isEqualTo(fx.user(AuthorityFixture.ALICE).id()));
        // Nothing left to end: zero, and no feed entry.
        var again = as(laptop).revokeMyOtherSessions(RevokeMyOtherSessionsRequest.getDefaultInstance());
        assertThat(again.getRevokedSessions()).isZero();
        assertThat(again.getFeedSequence()).isZero();
    }

    @Test
    void revokeOthersEndsWhatTheListShowsNotTheSessionsAForceLogoutKilledWhoseRowsHaveNotFollowed() {
        fx.authority.sessionRows().close(); // the force logout's rows will not follow: the test looks in between
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> killed = issue(aliceId, 3);
        admin().revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(aliceId).setReason("r").build());
        fx.clock.advance(Duration.ofSeconds(1));
        TokenPair laptop = fx.issueTo(aliceId);
        TokenPair phone = fx.issueTo(aliceId);
        assertThat(sessionStatus(killed.get(0).getSessionId())).isEqualTo(SessionStatus.ACTIVE);
        long entriesBefore = sessionFeedEntries(killed.get(0).getSessionId()).size();

        assertThat(as(laptop).listMySessions(firstPage()).getSessionsList()).extracting(MySession::getSessionId)
                .containsExactlyInAnyOrder(laptop.getSessionId(), phone.getSessionId());
        var result = as(laptop).revokeMyOtherSessions(RevokeMyOtherSessionsRequest.getDefaultInstance());

        assertThat(result.getRevokedSessions()).isEqualTo(1);
        assertThat(sessionFeedEntries(phone.getSessionId())).hasSize(1);
        assertThat(sessionFeedEntries(killed.get(0).getSessionId())).hasSize((int) entriesBefore);
    }

    @Test
    void revokeOthersOfManySessionsTakesTheBulkPathAndTheTokenRowsFollow() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        int others = Revocations.TOKEN_ROWS_IN_CALL_MAX + 5;
        List<TokenPair> sessions = issue(aliceId, others + 1);
        TokenPair caller = sessions.get(0);

        var result = as(caller).revokeMyOtherSessions(RevokeMyOtherSessionsRequest.getDefaultInstance());

        assertThat(result.getRevokedSessions()).isEqualTo(others);
        TokenPair last = sessions.get(others);
        assertThat(introspect(last.getAccessToken()).getActive()).isFalse();
        assertThat(codeOf(() -> refreshAsBackend(last.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        Eventually.until(Duration.ofSeconds(10), "the last session's refresh-token row follows",
                () -> fx.authority.transactor().read(tx -> tx.store(RefreshTokenStore.class)
                        .findById(last.getRefreshTokenId())).orElseThrow().status() == RefreshTokenStatus.REVOKED);
        assertThat(introspect(caller.getAccessToken()).getActive()).isTrue();
        assertThat(refreshAsBackend(caller.getRefreshToken()).getSessionId()).isEqualTo(caller.getSessionId());
    }

    @Test
    void aRevokedOrExpiredCallerTokenIsUnauthenticated() {
        TokenPair laptop = loginToApp(AuthorityFixture.ALICE, "laptop");
        TokenPair phone = loginToApp(AuthorityFixture.ALICE, "phone");
        admin().revokeSession(RevokeSessionRequest.newBuilder().setSessionId(laptop.getSessionId()).setReason("r")
                .build());

        assertThat(codeOf(() -> as(laptop).listMySessions(firstPage()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> as(laptop).revokeMySession(session(phone.getSessionId()))))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> as(laptop).revokeMyOtherSessions(RevokeMyOtherSessionsRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(sessionStatus(phone.getSessionId())).isEqualTo(SessionStatus.ACTIVE);

        fx.clock.advance(Duration.ofHours(2));
        assertThat(codeOf(() -> as(phone).listMySessions(firstPage()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void onlyAnAccessTokenIsABearerNotARefreshTokenNorGarbageNorNothing() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        for (String bearer : List.of(alice.getRefreshToken(), alice.getRefreshTokenId(), alice.getSessionId(),
                "not-a-jwt", alice.getAccessToken() + "x")) {
            StatusRuntimeException refused = failure(() -> as(bearer).listMySessions(firstPage()));
            assertThat(refused.getStatus().getCode()).as(bearer).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(refused.getStatus().getDescription()).doesNotContain(bearer);
        }
        assertThat(failure(() -> fx.auth().listMySessions(firstPage())).getStatus().getDescription())
                .contains("missing bearer token");
    }

    @Test
    void aTokenThatNamesNoUsersSessionIsAFailedPrecondition() {
        // A token this authority signed, current, but of nobody's session: what a client's own token
        // would be. The authority issues none today; were it to, it must not reach anyone's sessions.
        var now = fx.clock.instant();
        String clientToken = new AccessTokenSigner(fx.authority.signingKeys(), AuthorityFixture.ISSUER)
                .sign(new AccessTokenSigner.Claims("at_client0000000000000000", DemoData.SIDECAR_CLIENT,
                        List.of("demo-api"), DemoData.SIDECAR_CLIENT, List.of(), null, now, now, now.plusSeconds(300)));

        StatusRuntimeException refused = failure(() -> as(clientToken).listMySessions(firstPage()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getStatus().getDescription()).contains("no user's session");
    }

    @Test
    void aBadSessionIdIsInvalidArgumentNamingTheField() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        for (String bad : List.of("", "rt_abc", "ses_" + "a".repeat(200), "ses_a b", "ses_\u00e9")) {
            StatusRuntimeException refused = failure(() -> as(alice).revokeMySession(session(bad)));
            assertThat(refused.getStatus().getCode()).as(bad).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getStatus().getDescription()).as(bad).startsWith("session_id");
        }
    }

    @Test
    void anyClientsTokenServesAndTheConsoleSignsInAUserWithoutAnAdminRole() {
        // Bob holds no admin role: the console signs him in for his own sessions, with no admin scope.
        TokenPair console = fx.loginTo(AdminAccess.CONSOLE_CLIENT, AuthorityFixture.BOB);
        assertThat(console.getScopesList()).isEmpty();
        TokenPair app = fx.login(AuthorityFixture.BOB);

        assertThat(as(console).listMySessions(firstPage()).getSessionsList()).extracting(MySession::getSessionId)
                .containsExactlyInAnyOrder(console.getSessionId(), app.getSessionId());
        assertThat(as(app).listMySessions(firstPage()).getSessionsList()).extracting(MySession::getClientId)
                .contains(AdminAccess.CONSOLE_CLIENT, DemoData.APP_CLIENT);
        // That token opens no admin call, and its session refreshes as any other.
        StatusRuntimeException denied = failure(() -> fx.admin(console.getAccessToken())
                .listTokens(ListTokensRequest.newBuilder().setPageSize(1).build()));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        TokenPair refreshed = fx.auth().refresh(RefreshRequest.newBuilder().setClientId(AdminAccess.CONSOLE_CLIENT)
                .setRefreshToken(console.getRefreshToken()).build());
        assertThat(refreshed.getScopesList()).isEmpty();
        // admin-cli still refuses him: a script has no use for such a token.
        assertThat(codeOf(() -> fx.loginAdmin(AuthorityFixture.BOB))).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
}
