package dev.tokenauthority.authority.issuance;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation, reuse detection, concurrency and expiry through real gRPC, run on H2 and PostgreSQL.
 *
 * <p>Proves G9 and G10 of docs/guarantees.md.
 */
abstract class RefreshRotationContract {

    AuthorityFixture fx;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    TokenPair refresh(String refreshToken) {
        return fx.auth().refresh(RefreshRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setRefreshToken(refreshToken).build());
    }

    boolean isActive(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build()).getActive();
    }


    @Test
    void aChainOfOneHundredRefreshesRotatesEveryTokenAndKeepsOneSession() {
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair current = first;
        Set<String> seenRefreshTokens = new HashSet<>(List.of(first.getRefreshToken()));
        for (int i = 0; i < 100; i++) {
            fx.clock.advance(Duration.ofMinutes(1));
            TokenPair next = refresh(current.getRefreshToken());
            assertThat(next.getSessionId()).isEqualTo(first.getSessionId());
            assertThat(seenRefreshTokens.add(next.getRefreshToken())).isTrue();
            assertThat(next.getRefreshTokenExpiresAt().getSeconds())
                    .isGreaterThan(current.getRefreshTokenExpiresAt().getSeconds());
            current = next;
        }
        assertThat(isActive(current.getRefreshToken())).isTrue();
        assertThat(isActive(current.getAccessToken())).isTrue();
        assertThat(isActive(first.getRefreshToken())).isFalse();
        String lastId = current.getRefreshTokenId();
        RefreshToken last = fx.authority.transactor().read(h -> h.store(RefreshTokenStore.class).findById(lastId))
                .orElseThrow();
        assertThat(last.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(last.parentId()).isNotNull();
    }

    @Test
    void presentingARotatedTokenAgainRevokesTheWholeFamily() {
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair second = refresh(first.getRefreshToken());
        TokenPair third = refresh(second.getRefreshToken());

        assertThatThrownBy(() -> refresh(first.getRefreshToken()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

        assertThat(codeOf(() -> refresh(third.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(isActive(third.getRefreshToken())).isFalse();
        assertThat(isActive(third.getAccessToken())).isFalse();
        assertThat(isActive(second.getAccessToken())).isFalse();
        List<AuditEvent> reuse = fx.authority.transactor()
                .read(h -> h.store(AuditStore.class).findByAction("refresh_token.reuse_detected"));
        assertThat(reuse).singleElement().satisfies(event -> {
            assertThat(event.targetId()).isEqualTo(first.getRefreshTokenId());
            assertThat(event.details()).contains(first.getSessionId());
            assertThat(event.callerIp()).isNotBlank();
        });
    }

    @Test
    void eightThreadsRefreshingOneTokenAtOnceGiveExactlyOneSuccessAndRevokeTheFamily() throws Exception {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Status.Code>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return codeOf(() -> refresh(pair.getRefreshToken()));
            }));
        }
        go.countDown();
        List<Status.Code> codes = new ArrayList<>();
        for (Future<Status.Code> result : results) {
            codes.add(result.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(codes).containsOnly(Status.Code.OK, Status.Code.UNAUTHENTICATED);
        assertThat(codes).filteredOn(Status.Code.OK::equals).hasSize(1);
        List<RefreshToken> family = fx.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT * FROM refresh_tokens WHERE session_id = :sid").bind("sid", pair.getSessionId())
                .map(new dev.tokenauthority.authority.storage.Rows.RefreshTokenMapper()).list());
        // The session is revoked and its live token with it; the presented token stays ROTATED (dead since
        // its rotation), and presenting it again is refused and audited as reuse.
        assertThat(family).hasSize(2).extracting(RefreshToken::status)
                .containsExactlyInAnyOrder(RefreshTokenStatus.ROTATED, RefreshTokenStatus.REVOKED);
        assertThat(sessionStatus(pair.getSessionId())).isEqualTo(SessionStatus.REVOKED);
        assertThat(codeOf(() -> refresh(pair.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(reuseAudits(pair.getRefreshTokenId())).isPositive();
    }

    @Test
    void aRotatedTokenPresentedAfterAnAdministratorRevokedItsSessionIsRefusedAndAuditedAsReuse() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair second = refresh(first.getRefreshToken());
        fx.admin(fx.loginAdmin().getAccessToken()).batchRevokeTokens(BatchRevokeTokensRequest.newBuilder()
                .addTokenIds(second.getRefreshTokenId()).setReason("incident").build());

        // Within the reuse grace, and still ROTATED: the revoked session alone makes it dead.
        assertThat(fx.authority.transactor().read(h -> h.store(RefreshTokenStore.class)
                .findById(first.getRefreshTokenId())).orElseThrow().status()).isEqualTo(RefreshTokenStatus.ROTATED);
        assertThat(codeOf(() -> refresh(first.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> refresh(second.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(reuseAudits(first.getRefreshTokenId())).isEqualTo(1);
        assertThat(isActive(first.getRefreshToken())).isFalse();
    }

    SessionStatus sessionStatus(String sessionId) {
        return fx.authority.transactor().read(h -> h.store(SessionStore.class).findById(sessionId)).orElseThrow()
                .status();
    }

    long reuseAudits(String tokenId) {
        return fx.authority.transactor().read(h -> h.store(AuditStore.class).findByTarget(tokenId)).stream()
                .filter(e -> e.action().equals("refresh_token.reuse_detected")).count();
    }

    @Test
    void withAReuseGraceARetryOfTheRotatedTokenGetsAFreshPairInsteadOfRevocation() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair winner = refresh(first.getRefreshToken());
        fx.clock.advance(Duration.ofSeconds(5));
        TokenPair retry = refresh(first.getRefreshToken());
        assertThat(retry.getSessionId()).isEqualTo(first.getSessionId());
        assertThat(isActive(winner.getRefreshToken())).isTrue();
        assertThat(isActive(retry.getRefreshToken())).isTrue();

        fx.clock.advance(Duration.ofSeconds(6));
        assertThat(codeOf(() -> refresh(first.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(isActive(winner.getRefreshToken())).isFalse();
    }

    @Test
    void withinTheGraceARetryGetsTheSameRefreshTokenAndSessionWithAFreshAccessToken() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair winner = refresh(first.getRefreshToken());
        fx.clock.advance(Duration.ofSeconds(5));
        TokenPair retry = refresh(first.getRefreshToken());

        assertThat(retry.getRefreshToken()).isEqualTo(winner.getRefreshToken());
        assertThat(retry.getRefreshTokenId()).isEqualTo(winner.getRefreshTokenId());
        assertThat(retry.getSessionId()).isEqualTo(winner.getSessionId());
        assertThat(retry.getAccessToken()).isNotEqualTo(winner.getAccessToken());
        assertThat(isActive(retry.getAccessToken())).isTrue();
        assertThat(familyOf(first.getSessionId())).hasSize(2)
                .filteredOn(t -> t.status() == RefreshTokenStatus.ACTIVE).singleElement()
                .satisfies(t -> assertThat(t.id()).isEqualTo(winner.getRefreshTokenId()));
    }

    @Test
    void twentyConcurrentRefreshesOfOneTokenWithinTheGraceAllGetTheSameSuccessor() throws Exception {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        int threads = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<TokenPair>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return refresh(pair.getRefreshToken());
            }));
        }
        go.countDown();
        List<TokenPair> answers = new ArrayList<>();
        for (Future<TokenPair> result : results) {
            answers.add(result.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(answers).extracting(TokenPair::getRefreshToken).hasSize(threads).containsOnly(
                answers.get(0).getRefreshToken());
        assertThat(answers).extracting(TokenPair::getSessionId).containsOnly(pair.getSessionId());
        List<RefreshToken> family = familyOf(pair.getSessionId());
        assertThat(family).hasSize(2);
        assertThat(family).filteredOn(t -> t.status() == RefreshTokenStatus.ACTIVE).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(answers.get(0).getRefreshTokenId());
            assertThat(t.parentId()).isEqualTo(pair.getRefreshTokenId());
        });
        assertThat(sessionStatus(pair.getSessionId())).isEqualTo(SessionStatus.ACTIVE);
        assertThat(reuseAudits(pair.getRefreshTokenId())).isZero();
    }

    @Test
    void aRetryWithinTheGraceAfterTheSuccessorWasRotatedIsReuseAndRevokesTheSession() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair second = refresh(first.getRefreshToken());
        TokenPair third = refresh(second.getRefreshToken());
        fx.clock.advance(Duration.ofSeconds(2));

        assertThat(codeOf(() -> refresh(first.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(sessionStatus(first.getSessionId())).isEqualTo(SessionStatus.REVOKED);
        assertThat(isActive(third.getRefreshToken())).isFalse();
        assertThat(isActive(third.getAccessToken())).isFalse();
        assertThat(reuseAudits(first.getRefreshTokenId())).isEqualTo(1);
        assertThat(familyOf(first.getSessionId())).noneMatch(t -> t.status() == RefreshTokenStatus.ACTIVE);
    }

    @Test
    void outsideTheGraceARetryIsReuseAndRevokesTheSession() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair second = refresh(first.getRefreshToken());
        fx.clock.advance(Duration.ofSeconds(11));

        assertThat(codeOf(() -> refresh(first.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(sessionStatus(first.getSessionId())).isEqualTo(SessionStatus.REVOKED);
        assertThat(isActive(second.getRefreshToken())).isFalse();
        assertThat(reuseAudits(first.getRefreshTokenId())).isEqualTo(1);
    }

    @Test
    void theParentOfASuspendedTokenPresentedWithinTheGraceIsRefusedAndIssuesNothing() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair second = refresh(first.getRefreshToken());
        fx.admin(fx.loginAdmin().getAccessToken()).suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(second.getRefreshTokenId()).setReason("incident").build());
        fx.clock.advance(Duration.ofSeconds(2));

        assertThat(codeOf(() -> refresh(first.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(familyOf(first.getSessionId())).hasSize(2).extracting(RefreshToken::status)
                .containsExactlyInAnyOrder(RefreshTokenStatus.ROTATED, RefreshTokenStatus.SUSPENDED);
        // Refused, not reuse: the suspension stays an administrator's reversible decision.
        assertThat(sessionStatus(first.getSessionId())).isEqualTo(SessionStatus.ACTIVE);
        List<AuditEvent> refusals = fx.authority.transactor()
                .read(h -> h.store(AuditStore.class).findByAction("refresh_token.reuse_within_grace_refused"));
        assertThat(refusals).filteredOn(e -> e.targetId().equals(first.getRefreshTokenId())).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("SUSPENDED"));
        assertThat(codeOf(() -> refresh(second.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void theSuccessorHandedOutAgainIsStoredOnlyAsTheHashOfItsSecret() {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        refresh(first.getRefreshToken());
        TokenPair retry = refresh(first.getRefreshToken());
        String secret = RefreshTokenFormat.parse(retry.getRefreshToken()).orElseThrow().secret();

        RefreshToken stored = fx.authority.transactor()
                .read(h -> h.store(RefreshTokenStore.class).findById(retry.getRefreshTokenId())).orElseThrow();
        assertThat(stored.secretHash()).isEqualTo(Secrets.hash(secret));
        List<java.util.Map<String, Object>> rows = fx.db.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM refresh_tokens").mapToMap().list());
        assertThat(rows).flatExtracting(java.util.Map::values).map(String::valueOf)
                .noneMatch(value -> value.contains(secret));
    }

    @Test
    void aRetryWithinTheGraceOnAnotherReplicaGetsTheSameSuccessor() throws Exception {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair winner = refresh(first.getRefreshToken());

        try (Database databaseB = Database.open(fx.database.url(), fx.database.user(), fx.database.password(), 2);
             Authority replicaB = new Authority(databaseB, TokenPolicy.withIssuer(AuthorityFixture.ISSUER), fx.keks,
                     new PasswordHasher(1024, 1), LoginLimits.DEFAULTS,
                     fx.clock)) {
            replicaB.start();
            String name = InProcessServerBuilder.generateName();
            AuthorityServer serverB = new AuthorityServer(InProcessServerBuilder.forName(name).directExecutor(),
                    replicaB).start();
            ManagedChannel channelB = InProcessChannelBuilder.forName(name).directExecutor().build();
            try {
                TokenPair retry = AuthServiceGrpc.newBlockingStub(channelB).refresh(RefreshRequest.newBuilder()
                        .setClientId(DemoData.APP_CLIENT).setRefreshToken(first.getRefreshToken()).build());
                assertThat(retry.getRefreshToken()).isEqualTo(winner.getRefreshToken());
                assertThat(retry.getSessionId()).isEqualTo(winner.getSessionId());
            } finally {
                channelB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                serverB.stop(1);
            }
        }
        assertThat(familyOf(first.getSessionId())).filteredOn(t -> t.status() == RefreshTokenStatus.ACTIVE)
                .hasSize(1);
    }

    List<RefreshToken> familyOf(String sessionId) {
        return fx.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT * FROM refresh_tokens WHERE session_id = :sid").bind("sid", sessionId)
                .map(new dev.tokenauthority.authority.storage.Rows.RefreshTokenMapper()).list());
    }

    @Test
    void aRefreshTokenPresentedByAnotherClientIsRefusedAndNotRotated() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder()
                .setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT).setRefreshToken(pair.getRefreshToken()).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void aWrongSecretForAKnownTokenIdIsRefusedAndDoesNotRotate() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        String token = pair.getRefreshToken();
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(codeOf(() -> refresh(forged))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refresh(token).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void anUnknownClientOrAPublicClientPresentingASecretIsRefusedAndRotatesNothing() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder()
                .setClientId("no-such-client").setRefreshToken(pair.getRefreshToken()).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setClientSecret("guess").setRefreshToken(pair.getRefreshToken()).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void aDisabledUsersRefreshTokenIsRefusedAndNotRotated() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        setAliceDisabled(true);
        assertThat(codeOf(() -> refresh(pair.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        setAliceDisabled(false);
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    private void setAliceDisabled(boolean disabled) {
        fx.db.jdbi().useTransaction(h -> h.createUpdate("UPDATE users SET disabled = :d WHERE email = :e")
                .bind("d", disabled).bind("e", AuthorityFixture.ALICE).execute());
    }

    @Test
    void aRotationMarksTheSessionSeenAndRecordsTheNewAccessToken() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.clock.advance(Duration.ofMinutes(5));
        TokenPair next = refresh(pair.getRefreshToken());
        RefreshToken issued = fx.authority.transactor()
                .read(h -> h.store(RefreshTokenStore.class).findById(next.getRefreshTokenId())).orElseThrow();
        assertThat(fx.authority.transactor().read(h -> h.store(SessionStore.class).findById(next.getSessionId()))
                .orElseThrow().lastSeenAt()).isEqualTo(issued.issuedAt());
        assertThat(accessTokensOf(next.getRefreshTokenId())).singleElement().satisfies(record -> {
            assertThat(record.sessionId()).isEqualTo(next.getSessionId());
            assertThat(record.issuedAt()).isEqualTo(issued.issuedAt());
            assertThat(record.expiresAt().getEpochSecond()).isEqualTo(next.getAccessTokenExpiresAt().getSeconds());
        });
    }

    @Test
    void aRotationWhoseWritesFailCommitsNothingAndLeavesThePresentedTokenUsable() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        Session before = fx.authority.transactor()
                .read(h -> h.store(SessionStore.class).findById(pair.getSessionId())).orElseThrow();
        // The login's access-token record passes; the rotation's (last of its writes) cannot.
        fx.db.jdbi().useTransaction(h -> h.execute("ALTER TABLE access_tokens ADD CONSTRAINT only_login"
                + " CHECK (refresh_token_id = '" + pair.getRefreshTokenId() + "')"));
        fx.clock.advance(Duration.ofMinutes(5));
        assertThat(codeOf(() -> refresh(pair.getRefreshToken()))).isNotEqualTo(Status.Code.OK);

        RefreshToken presented = fx.authority.transactor()
                .read(h -> h.store(RefreshTokenStore.class).findById(pair.getRefreshTokenId())).orElseThrow();
        assertThat(presented.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        long tokensOfSession = fx.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM refresh_tokens WHERE session_id = :sid").bind("sid", pair.getSessionId())
                .mapTo(Long.class).one());
        assertThat(tokensOfSession).isEqualTo(1L);
        assertThat(fx.authority.transactor().read(h -> h.store(SessionStore.class).findById(pair.getSessionId()))
                .orElseThrow().lastSeenAt()).isEqualTo(before.lastSeenAt());

        fx.db.jdbi().useTransaction(h -> h.execute("ALTER TABLE access_tokens DROP CONSTRAINT only_login"));
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    private List<AccessTokenStore.AccessTokenRecord> accessTokensOf(String refreshTokenId) {
        return fx.db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM access_tokens WHERE refresh_token_id = :id").bind("id", refreshTokenId)
                .map(ConstructorMapper.of(AccessTokenStore.AccessTokenRecord.class)).list());
    }

    @Test
    void theInactivityLifetimeSlidesWithEveryRotation() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        for (int i = 0; i < 3; i++) {
            fx.clock.advance(Duration.ofDays(6));
            pair = refresh(pair.getRefreshToken());
        }
        String idle = pair.getRefreshToken();
        fx.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThat(codeOf(() -> refresh(idle))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void theAbsoluteSessionLifetimeEndsTheSessionHoweverActiveItIs() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        long sessionEnd = pair.getAccessTokenExpiresAt().getSeconds() - 15 * 60 + Duration.ofDays(30).toSeconds();
        for (int day = 6; day < 30; day += 6) {
            fx.clock.advance(Duration.ofDays(6));
            pair = refresh(pair.getRefreshToken());
        }
        assertThat(pair.getRefreshTokenExpiresAt().getSeconds()).isLessThanOrEqualTo(sessionEnd);
        String last = pair.getRefreshToken();
        fx.clock.advance(Duration.ofDays(6));
        assertThat(codeOf(() -> refresh(last))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void anExpiredAccessTokenIsNoLongerActiveButItsRefreshStillWorks() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.clock.advance(Duration.ofMinutes(16));
        assertThat(isActive(pair.getAccessToken())).isFalse();
        assertThat(isActive(refresh(pair.getRefreshToken()).getAccessToken())).isTrue();
    }
}
