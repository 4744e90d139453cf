package dev.tokenauthority.authority.issuance;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * Reuse detection through real gRPC, on H2 and PostgreSQL: a rotated token presented again, alone or by racing
 * threads, revokes its family; one whose session an administrator revoked is refused and audited as reuse, even
 * within the grace.
 */
abstract class RefreshReuseContract extends RefreshRotationContractBase {

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
}
