package dev.tokenauthority.authority.retention;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStore;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rows of ended sessions and expired tokens go once the retention period has passed, and not before. */
abstract class TokenRetentionContract {

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

    @Test
    void aSessionOverForTheRetentionPeriodIsDeletedWithItsTokensAndItsAuditStays() {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        TokenPair old = fx.issueTo(userId);
        String oldJti = jtiOf(old);
        // The session's absolute lifetime (30 days by default), then the retention period, then a day.
        fx.clock.advance(Duration.ofDays(30).plus(TokenRetention.DEFAULT_RETENTION).plusDays(1));
        TokenPair kept = fx.issueTo(userId);

        TokenRetention.Deleted deleted = retention(TokenRetention.DEFAULT_RETENTION, 1_000).sweep();

        assertThat(deleted.sessions()).isEqualTo(1);
        assertThat(session(old.getSessionId())).isFalse();
        assertThat(refreshToken(old.getRefreshTokenId())).isFalse();
        assertThat(accessToken(oldJti)).isFalse();
        assertThat(codeOf(() -> fx.admin(fx.loginAdmin().getAccessToken())
                .getToken(GetTokenRequest.newBuilder().setTokenId(old.getRefreshTokenId()).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        List<AuditEvent> audit = fx.authority.transactor()
                .read(tx -> tx.store(AuditStore.class).findByTarget(old.getSessionId()));
        assertThat(audit).as("the audit trail outlives the rows").isNotEmpty();
        assertThat(session(kept.getSessionId())).isTrue();
        assertThat(refreshToken(kept.getRefreshTokenId())).isTrue();
        assertThat(accessToken(jtiOf(kept))).isTrue();
    }

    @Test
    void withinAKeptSessionTokensExpiredForTheRetentionPeriodGoAndTheLatestStay() {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        TokenPair first = fx.issueTo(userId);
        TokenPair second = refresh(first.getRefreshToken()); // first: rotated, expires in 7 days
        fx.clock.advance(Duration.ofDays(6));
        TokenPair third = refresh(second.getRefreshToken());
        fx.clock.advance(Duration.ofDays(6));
        TokenPair fourth = refresh(third.getRefreshToken());

        // Retention of one day: the tokens that expired 5 days ago go, the session (30 days) stays.
        TokenRetention.Deleted deleted = retention(Duration.ofDays(1), 1_000).sweep();

        assertThat(deleted.sessions()).isZero();
        assertThat(refreshToken(first.getRefreshTokenId())).isFalse();
        assertThat(refreshToken(second.getRefreshTokenId())).isFalse();
        assertThat(refreshToken(third.getRefreshTokenId())).isTrue();
        assertThat(accessToken(jtiOf(first))).isFalse();
        assertThat(accessToken(jtiOf(fourth))).isTrue();
        // A deleted rotated token is refused as unknown: no reuse detection, the session lives on.
        assertThat(codeOf(() -> refresh(first.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refresh(fourth.getRefreshToken()).getSessionId()).isEqualTo(first.getSessionId());
    }

    @Test
    void oneSweepGoesOnBatchAfterBatchUntilNothingIsLeft() {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        List<TokenPair> old = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            old.add(fx.issueTo(userId));
        }
        fx.clock.advance(Duration.ofDays(32));

        assertThat(retention(Duration.ofDays(1), 2).sweep().sessions()).isEqualTo(7);
        assertThat(old).noneMatch(pair -> session(pair.getSessionId()));
    }

    @Test
    void nothingIsDeletedBeforeItsTime() {
        String userId = fx.user(AuthorityFixture.ALICE).id();
        TokenPair pair = fx.issueTo(userId);
        // The access token expired after 15 minutes, the refresh token expires after 7 days of
        // inactivity; an hour short of the retention after that, only the access token's record goes:
        fx.clock.advance(Duration.ofDays(7).plus(TokenRetention.DEFAULT_RETENTION).minusHours(1));
        assertThat(retention(TokenRetention.DEFAULT_RETENTION, 1_000).sweep())
                .isEqualTo(new TokenRetention.Deleted(0, 0, 1));
        assertThat(refreshToken(pair.getRefreshTokenId())).isTrue();

        fx.clock.advance(Duration.ofHours(2));
        TokenRetention.Deleted deleted = retention(TokenRetention.DEFAULT_RETENTION, 1_000).sweep();
        assertThat(deleted).isEqualTo(new TokenRetention.Deleted(0, 1, 0));
        assertThat(session(pair.getSessionId())).as("the session lasts 30 days, and as long again").isTrue();
        assertThatThrownBy(() -> retention(Duration.ZERO, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }

    private TokenRetention retention(Duration retention, int batch) {
        return new TokenRetention(fx.authority.transactor(), retention, fx.clock, batch);
    }

    private TokenPair refresh(String refreshToken) {
        return fx.auth().refresh(RefreshRequest.newBuilder().setClientId(AuthorityFixture.BACKEND_CLIENT)
                .setClientSecret(fx.backendSecret).setRefreshToken(refreshToken).build());
    }

    private boolean session(String id) {
        return fx.authority.transactor().read(tx -> tx.store(SessionStore.class).findById(id)).isPresent();
    }

    private boolean refreshToken(String id) {
        return fx.authority.transactor().read(tx -> tx.store(RefreshTokenStore.class).findById(id)).isPresent();
    }

    private boolean accessToken(String jti) {
        return fx.authority.transactor().read(tx -> tx.store(AccessTokenStore.class).findByJti(jti)).isPresent();
    }

    private static String jtiOf(TokenPair pair) {
        String payload = new String(Base64.getUrlDecoder().decode(pair.getAccessToken().split("\\.")[1]),
                StandardCharsets.UTF_8);
        int start = payload.indexOf("\"jti\":\"") + 7;
        return payload.substring(start, payload.indexOf('"', start));
    }
}
