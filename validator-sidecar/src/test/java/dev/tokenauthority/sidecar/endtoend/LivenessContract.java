package dev.tokenauthority.sidecar.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.DenialCases;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One liveness rule, two places it runs: every case of {@link DenialCases} gets the same verdict
 * from the authority (Introspect, an admin call with the token) and from a sidecar's Validate.
 * The two implementations this holds together are the authority's {@code AuthorityTokenVerifier}
 * (its {@code verification} package, against the database) and the sidecar's
 * {@code SidecarTokenVerifier} with {@code TokenValidator} (its {@code validation} package, against
 * the feed); {@link DenialCases} is the one table of cases both are tested against. The races against
 * the same rule are in {@link LivenessRaceContract}.
 *
 * <p>Proves G4, G7, G8 and G9 of docs/guarantees.md.
 */
abstract class LivenessContract extends LivenessContractBase {

    @ParameterizedTest
    @EnumSource(DenialCases.class)
    void eachDenialCaseGetsTheSameVerdictFromTheAuthorityAndTheSidecar(DenialCases denial) throws Exception {
        DenialCases.Subject subject = DenialCases.newSubject(authority);
        String token = subject.pair().getAccessToken();

        denial.apply(authority, subject);

        DenialCases.AuthorityVerdict atAuthority = DenialCases.authorityVerdict(authority, token);
        ValidateResponse atSidecar = validateOnceCaughtUp(token);
        assertThat(atAuthority.introspectActive()).as("Introspect active").isEqualTo(denial.live());
        assertThat(atAuthority.adminCallAuthenticated()).as("admin call authenticating the token").isEqualTo(denial.live());
        assertThat(atSidecar.getValid()).as("sidecar valid").isEqualTo(denial.live());
        denial.sidecarReason().ifPresent(reason -> assertThat(atSidecar.getReason()).isEqualTo(reason));
        // Envoy's ext_authz Check gives the same verdict, naming the same reason.
        CheckResponse check = sidecar.check(token);
        assertThat(check.getStatus().getCode()).as("Check")
                .isEqualTo(denial.live() ? Code.OK_VALUE : Code.UNAUTHENTICATED_VALUE);
        if (!denial.live()) {
            assertThat(check.getDeniedResponse().getHeaders(0).getHeader().getValue()).isEqualTo(
                    "Bearer error=\"invalid_token\", error_description=\""
                            + atSidecar.getReason().name().substring("DENIAL_REASON_".length()) + "\"");
        }
    }

    /**
     * Regression: a suspension's feed entry expired after max TTL + skew while the session was
     * still suspended, so a sidecar forgot it, and any access token the session obtained after
     * that (a reuse-grace retry once forked a second live refresh token) was accepted. Now the
     * entry lasts as long as the session can, and the sidecar keeps it past the old horizon.
     */
    @Test
    void aSuspensionIsEnforcedByTheSidecarForAsLongAsItLasts() throws Exception {
        authority.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(60));
        TokenPair first = authority.login(AuthorityFixture.ALICE);
        TokenPair suspended = refresh(first.getRefreshToken());
        authority.admin(authority.loginAdmin().getAccessToken()).suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(suspended.getRefreshTokenId()).setReason("investigating").build());
        assertThat(validateOnceCaughtUp(suspended.getAccessToken()).getReason())
                .isEqualTo(DenialReason.DENIAL_REASON_TOKEN_SUSPENDED);

        // Past what a revocation made at the suspension would need to be remembered, and every retention margin.
        authority.clock.advance(TokenPolicy.DEFAULT_MAX_ACCESS_TOKEN_TTL.plus(TokenPolicy.DEFAULT_CLOCK_SKEW)
                .plus(RevocationRetention.atAuthority()).plusMinutes(1));
        Instant cutoff = authority.clock.instant().minus(RevocationRetention.atAuthority());
        authority.authority.transactor().useTransaction(h -> h.store(
                dev.tokenauthority.authority.token.RevocationLogStore.class).deleteExpiredBefore(cutoff));
        sidecar.sidecar.state().sweep(authority.clock.instant());

        assertThat(sidecar.sidecar.state().counts().suspendedSessions())
                .as("the sidecar still holds the suspension of a session that is still suspended").isEqualTo(1);
        // Nor can the session get a token that would test it: neither the suspended token nor its parent refreshes.
        assertThatThrownBy(() -> refresh(suspended.getRefreshToken())).isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> refresh(first.getRefreshToken())).isInstanceOf(StatusRuntimeException.class);
    }

    /** Regression: a sidecar whose credentials were revoked kept following the feed on its open stream. */
    @Test
    void aSidecarWhoseSecretIsRotatedIsCutOffAndReportsItsFeedBroken() throws Exception {
        String live = authority.login(AuthorityFixture.ALICE).getAccessToken();
        assertThat(validateOnceCaughtUp(live).getValid()).isTrue();
        authority.admin(authority.loginAdmin().getAccessToken()).rotateClientSecret(RotateClientSecretRequest
                .newBuilder().setClientId(DemoData.SIDECAR_CLIENT).setReason("leaked").build());

        // Past the sidecar's staleness limit: only a heartbeat of a live stream would make it fresh again.
        authority.clock.advance(sidecar.sidecar.freshness().maxStaleness().plusSeconds(1));
        Eventually.until(SidecarHarness.WAIT_LIMIT, "the sidecar to report NOT_SERVING",
                () -> sidecar.health() == HealthCheckResponse.ServingStatus.NOT_SERVING);
        // Long enough for several heartbeats, and for the sidecar's retries (each refused).
        Thread.sleep(Authority.FEED_HEARTBEAT_INTERVAL.multipliedBy(4).toMillis());
        assertThat(sidecar.health()).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
        assertThat(sidecar.validate(live).getReason()).isEqualTo(DenialReason.DENIAL_REASON_FEED_STALE);
    }
}
