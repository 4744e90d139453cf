package dev.tokenauthority.sidecar.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.DenialCases;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.sidecar.server.StalePolicy;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One liveness rule, two places it runs: every case of {@link DenialCases} gets the same verdict
 * from the authority (Introspect, an admin call with the token) and from a sidecar's Validate.
 * The two implementations this holds together are the authority's {@code AuthorityTokenVerifier}
 * (its {@code verification} package, against the database) and the sidecar's
 * {@code SidecarTokenVerifier} with {@code TokenValidator} (its {@code validation} package, against
 * the feed); {@link DenialCases} is the one table of cases both are tested against.
 *
 * <p>Proves G4, G7, G8, G9 and G11 of docs/guarantees.md.
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
        assertThat(atAuthority.adminCallAuthenticated()).as("admin call authenticating the token").isEqualTo(denial.live());
        assertThat(atSidecar.getValid()).as("sidecar valid").isEqualTo(denial.live());
        denial.sidecarReason().ifPresent(reason -> assertThat(atSidecar.getReason()).isEqualTo(reason));
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

    /**
     * Retries within the reuse grace race a suspension of the token they get back: once
     * SuspendToken has returned, no access token any of them obtained is valid at the authority or
     * at the sidecar, and the session has nothing left to refresh.
     */
    @Test
    void noRefreshWithinTheGraceRacingASuspensionYieldsATokenValidAnywhere() throws Exception {
        authority.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(60));
        TokenPair parent = authority.login(AuthorityFixture.ALICE);
        TokenPair successor = refresh(parent.getRefreshToken());
        String admin = authority.loginAdmin().getAccessToken();
        Queue<String> obtained = new ConcurrentLinkedQueue<>();
        race(obtained, racer -> {
            try {
                TokenPair again = refresh(parent.getRefreshToken());
                assertThat(again.getRefreshToken()).isEqualTo(successor.getRefreshToken());
                obtained.add(again.getAccessToken());
            } catch (StatusRuntimeException refused) {
                // refused once the successor is suspended
            }
            return true;
        }, () -> authority.admin(admin).suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(successor.getRefreshTokenId()).setReason("race").build()));

        assertThat(obtained).hasSizeGreaterThanOrEqualTo(3 * RACERS);
        assertDeadEverywhere(List.copyOf(obtained));
        assertThatThrownBy(() -> refresh(parent.getRefreshToken())).isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> refresh(successor.getRefreshToken())).isInstanceOf(StatusRuntimeException.class);
    }

    /** Regression: a login in flight when its user was disabled committed a session nothing revoked. */
    @Test
    void noLoginRacingADisableYieldsATokenValidAnywhere() throws Exception {
        String admin = authority.loginAdmin().getAccessToken();
        List<RacingLogin> logins = raceLogins(userId -> authority.admin(admin).disableUser(
                DisableUserRequest.newBuilder().setUserId(userId).setReason("race").build()));
        // The user stays disabled: every token any login obtained, before, during or after, is dead.
        assertDeadEverywhere(logins.stream().map(RacingLogin::accessToken).toList());
    }

    /** Regression: a login in flight during a force logout got a token issued after the watermark. */
    @Test
    void noLoginRacingAForceLogoutYieldsATokenValidAnywhere() throws Exception {
        String admin = authority.loginAdmin().getAccessToken();
        List<RacingLogin> logins = raceLogins(userId -> authority.admin(admin).revokeUserTokens(
                RevokeUserTokensRequest.newBuilder().setUserId(userId).setReason("race").build()));
        Instant watermark = authority.user(RACER).tokenInvalidatedAt();
        // Logins that started before the force logout are dead; later ones are simply new logins.
        List<String> racing = logins.stream().filter(login -> login.startedAt().isBefore(watermark))
                .map(RacingLogin::accessToken).toList();
        assertThat(racing).hasSizeGreaterThanOrEqualTo(RACERS);
        assertDeadEverywhere(racing);
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

    /**
     * A suspension races refreshes of the very token it names: it either fails (the token was
     * rotated meanwhile) or, once it returns OK, the session is suspended at the authority and at
     * the sidecar alike, whichever access tokens the refreshes obtained.
     */
    @Test
    void aSuspensionRacingRefreshesOfItsTokenEitherFailsOrHoldsEverywhere() throws Exception {
        String admin = authority.loginAdmin().getAccessToken();
        AtomicReference<TokenPair> latest = new AtomicReference<>(authority.login(AuthorityFixture.ALICE));
        Queue<String> obtained = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        int refused = 0;
        try {
            Future<?> refresher = pool.submit(() -> {
                while (!stop.get()) {
                    try {
                        TokenPair next = refresh(latest.get().getRefreshToken());
                        latest.set(next);
                        obtained.add(next.getAccessToken());
                    } catch (StatusRuntimeException refusedRefresh) {
                        return null; // suspended
                    }
                }
                return null;
            });
            while (true) {
                try {
                    authority.admin(admin).suspendToken(SuspendTokenRequest.newBuilder()
                            .setTokenId(latest.get().getRefreshTokenId()).setReason("race").build());
                    break;
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
                    assertThat(++refused).as("suspensions refused while the token kept rotating").isLessThan(10_000);
                }
            }
            stop.set(true);
            refresher.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        List<String> tokens = new ArrayList<>(obtained);
        tokens.add(latest.get().getAccessToken());
        validateOnceCaughtUp(tokens.get(0));
        for (String token : tokens) {
            assertThat(introspectActive(token)).as("Introspect after %d refused suspensions", refused).isFalse();
            assertThat(sidecar.validate(token).getReason()).isEqualTo(DenialReason.DENIAL_REASON_TOKEN_SUSPENDED);
        }
        assertThatThrownBy(() -> refresh(latest.get().getRefreshToken())).isInstanceOf(StatusRuntimeException.class);
    }

    /**
     * Refreshes in flight race a force logout: once RevokeUserTokens has returned, no access token
     * any of them obtained is valid anywhere (a refresh that committed first issued its token before
     * the watermark; one that commits later is refused), and no racer's refresh token refreshes.
     */
    @Test
    void noRefreshRacingAForceLogoutYieldsATokenValidAnywhere() throws Exception {
        String userId = authority.createUser(RACER, List.of()).id();
        String admin = authority.loginAdmin().getAccessToken();
        List<TokenPair> sessions = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            sessions.add(authority.login(RACER));
        }
        Queue<String> obtained = new ConcurrentLinkedQueue<>();
        String[] latest = sessions.stream().map(TokenPair::getRefreshToken).toArray(String[]::new);
        race(obtained, racer -> {
            try {
                TokenPair next = refresh(latest[racer]);
                latest[racer] = next.getRefreshToken();
                obtained.add(next.getAccessToken());
                return true;
            } catch (StatusRuntimeException refused) {
                return false; // the session was ended
            }
        }, () -> authority.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(userId)
                .setReason("race").build()));

        assertThat(obtained).hasSizeGreaterThanOrEqualTo(3 * RACERS);
        assertDeadEverywhere(List.copyOf(obtained));
        for (String refreshToken : latest) {
            assertThatThrownBy(() -> refresh(refreshToken)).isInstanceOf(StatusRuntimeException.class);
        }
    }

    static final String RACER = "racer@example.com";
    static final int RACERS = 24;

    /** A login that succeeded during a race: when it started (by the authority's clock) and its token. */
    record RacingLogin(Instant startedAt, String accessToken) {
    }

    /**
     * Runs {@link #RACERS} threads logging the same user in, over and over, until {@code revocation}
     * (run once the logins are in full flow) has returned; then lets the logins in flight finish.
     */
    List<RacingLogin> raceLogins(Consumer<String> revocation) throws Exception {
        String userId = authority.createUser(RACER, List.of()).id();
        Queue<RacingLogin> logins = new ConcurrentLinkedQueue<>();
        race(logins, racer -> {
            Instant startedAt = authority.clock.instant();
            try {
                logins.add(new RacingLogin(startedAt, authority.login(RACER).getAccessToken()));
            } catch (StatusRuntimeException refused) {
                // refused once the user is disabled, or (throttled) after failures
            }
            return true;
        }, () -> revocation.accept(userId));
        return List.copyOf(logins);
    }

    /** One racer's attempt; false when that racer has nothing left to try. */
    @FunctionalInterface
    interface RaceStep {
        boolean attempt(int racer);
    }

    /**
     * Runs {@link #RACERS} threads, each repeating {@code step} with its own index, on a clock that
     * ticks on every read (a frozen clock gives racing transactions equal times and hides races);
     * once {@code results} holds three results per racer, runs {@code revocation}, and after it
     * has returned lets the attempts in flight finish.
     */
    void race(Collection<?> results, RaceStep step, Runnable revocation) throws Exception {
        authority.clock.tickOnEveryRead(Duration.ofNanos(1_000));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int racer = i;
                racers.add(pool.submit(() -> {
                    while (!stop.get() && step.attempt(racer)) {
                        // again
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (results.size() < 3 * RACERS && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            revocation.run();
            stop.set(true);
            for (Future<?> racer : racers) {
                racer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            authority.clock.tickOnEveryRead(Duration.ZERO);
        }
    }

    void assertDeadEverywhere(List<String> tokens) {
        validateOnceCaughtUp(tokens.get(0));
        for (String token : tokens) {
            assertThat(introspectActive(token)).as("Introspect active").isFalse();
            assertThat(sidecar.validate(token).getValid()).as("sidecar valid").isFalse();
        }
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
    ValidateResponse validateOnceCaughtUp(String token) {
        long sequence = DenialCases.committedSequence(authority);
        Eventually.until(SidecarHarness.WAIT_LIMIT, "the sidecar to apply sequence " + sequence + " with a fresh feed",
                () -> sidecar.sidecar.state().appliedSequence() >= sequence && sidecar.sidecar.freshness().isFresh());
        return sidecar.validate(token);
    }
}
