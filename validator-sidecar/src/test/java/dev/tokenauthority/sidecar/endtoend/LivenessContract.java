package dev.tokenauthority.sidecar.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.demo.DemoData;
import dev.tokenauthority.authority.issuance.TokenPolicy;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.DenialCases;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One liveness rule, two places it runs: every case of {@link DenialCases} gets the same verdict
 * from the authority (Introspect, an admin call with the token) and from a sidecar's Validate.
 */
abstract class LivenessContract {

    AuthorityFixture authority;
    SidecarHarness sidecar;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() throws Exception {
        authority = new AuthorityFixture(kind());
        sidecar = new SidecarHarness(authority, StalePolicy.FAIL_CLOSED, authority.clock);
        sidecar.awaitServing();
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        authority.close();
    }

    @ParameterizedTest
    @EnumSource(DenialCases.class)
    void eachDenialCaseGetsTheSameVerdictFromTheAuthorityAndTheSidecar(DenialCases denial) throws Exception {
        DenialCases.Subject subject = DenialCases.newSubject(authority);
        String token = subject.pair().getAccessToken();

        denial.apply(authority, subject);

        DenialCases.AuthorityVerdict atAuthority = DenialCases.authorityVerdict(authority, token);
        ValidateResponse atSidecar = validateOnceCaughtUp(token);
        assertThat(atAuthority.introspectActive()).as("Introspect active").isEqualTo(denial.live());
        assertThat(atAuthority.adminCallAccepted()).as("admin call with the token").isEqualTo(denial.live());
        assertThat(atSidecar.getValid()).as("sidecar valid").isEqualTo(denial.live());
        denial.sidecarReason().ifPresent(reason -> assertThat(atSidecar.getReason()).isEqualTo(reason));
    }

    /**
     * Regression: a suspension's feed entry expired after max TTL + skew while the session was
     * still suspended, and a sibling refresh token (left by a retry within the reuse grace, so not
     * the suspended one) then obtained an access token that the sidecar accepted.
     */
    @Test
    void aSuspensionIsEnforcedByTheSidecarForAsLongAsItLasts() throws Exception {
        authority.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(60));
        TokenPair first = authority.login(AuthorityFixture.ALICE);
        TokenPair suspended = refresh(first.getRefreshToken());
        TokenPair sibling = refresh(first.getRefreshToken()); // a retry within the grace: a second live token
        authority.admin(authority.loginAdmin().getAccessToken()).suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(suspended.getRefreshTokenId()).setReason("investigating").build());
        assertThat(validateOnceCaughtUp(suspended.getAccessToken()).getReason())
                .isEqualTo(DenialReason.DENIAL_REASON_TOKEN_SUSPENDED);

        // Past what a revocation made at the suspension would need to be remembered, and the sweep's margin.
        authority.clock.advance(TokenPolicy.DEFAULT_MAX_ACCESS_TOKEN_TTL.plus(TokenPolicy.DEFAULT_CLOCK_SKEW)
                .plus(InMemoryRevocationState.DEFAULT_RETENTION).plusMinutes(1));
        authority.authority.transactor().useTransaction(h -> h.attach(
                dev.tokenauthority.authority.storage.RevocationLogDao.class).deleteExpired(authority.clock.instant()));
        sidecar.sidecar.state().sweep(authority.clock.instant());

        TokenPair during = refresh(sibling.getRefreshToken());
        assertThat(validateOnceCaughtUp(during.getAccessToken()).getReason())
                .isEqualTo(DenialReason.DENIAL_REASON_TOKEN_SUSPENDED);
        assertThat(introspectActive(during.getAccessToken())).isFalse();
    }

    TokenPair refresh(String refreshToken) {
        return authority.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(refreshToken).build());
    }

    boolean introspectActive(String token) {
        return authority.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(authority.sidecarSecret).setToken(token).build()).getActive();
    }

    /** Validates once the sidecar has applied everything the authority committed and its feed is fresh. */
    ValidateResponse validateOnceCaughtUp(String token) throws InterruptedException {
        long sequence = DenialCases.committedSequence(authority);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((sidecar.sidecar.state().appliedSequence() < sequence || !sidecar.sidecar.freshness().isFresh())
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sidecar.sidecar.state().appliedSequence()).as("sidecar caught up").isGreaterThanOrEqualTo(sequence);
        assertThat(sidecar.sidecar.freshness().isFresh()).as("sidecar feed fresh").isTrue();
        return sidecar.validate(token);
    }
}
