package dev.tokenauthority.authority.issuance;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
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
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reuse grace: a retry of the rotated token within it gets the same successor, on any replica and however many
 * race; outside it, or once the successor moved on, it is reuse. Proves G10, and G9's refused parent of a suspended
 * token, of docs/guarantees.md.
 */
abstract class RefreshReuseGraceContract extends RefreshRotationContractBase {

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
                serverB.stop(java.time.Duration.ofSeconds(1));
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
}
