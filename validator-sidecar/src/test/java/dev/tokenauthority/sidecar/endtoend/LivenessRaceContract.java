package dev.tokenauthority.sidecar.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Logins, refreshes and suspensions racing a revocation (a disable, a force logout, a suspension): none yields a
 * token valid at the authority or at a sidecar.
 *
 * <p>Proves G9 (its races) and G11 of docs/guarantees.md.
 */
abstract class LivenessRaceContract extends LivenessContractBase {

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
        AtomicReference<Instant> calledAt = new AtomicReference<>();
        List<RacingLogin> logins = raceLogins(userId -> {
            calledAt.set(authority.clock.instant());
            authority.admin(admin).revokeUserTokens(
                    RevokeUserTokensRequest.newBuilder().setUserId(userId).setReason("race").build());
        });
        Instant watermark = authority.user(RACER).tokenInvalidatedAt();
        // A login the authority began before the force logout committed either committed first, its session
        // begun before the watermark, or was refused; one it began after is simply a new login. When the
        // authority began a login is not seen from here (a test's clock read before the call can fall before the
        // watermark while the authority's falls after), but a login that returned before the force logout was
        // called began before it, and every session begun by the watermark must be dead everywhere.
        assertThat(logins).filteredOn(login -> login.finishedAt().isBefore(calledAt.get()))
                .isNotEmpty()
                .allSatisfy(login -> assertThat(sessionStart(login.accessToken())).isBeforeOrEqualTo(watermark));
        List<String> racing = logins.stream().filter(login -> !sessionStart(login.accessToken()).isAfter(watermark))
                .map(RacingLogin::accessToken).toList();
        assertThat(racing).hasSizeGreaterThanOrEqualTo(RACERS);
        assertDeadEverywhere(racing);
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

    /** A login that succeeded during a race: when it started and returned (by the authority's clock) and its token. */
    record RacingLogin(Instant startedAt, Instant finishedAt, String accessToken) {
    }

    /** When the access token's session began: its {@code auth_time_us} claim. */
    static Instant sessionStart(String accessToken) {
        String payload = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher micros = Pattern.compile("\"auth_time_us\":(\\d+)").matcher(payload);
        assertThat(micros.find()).as("auth_time_us in %s", payload).isTrue();
        return Instant.EPOCH.plus(Long.parseLong(micros.group(1)), ChronoUnit.MICROS);
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
                String accessToken = authority.login(RACER).getAccessToken();
                logins.add(new RacingLogin(startedAt, authority.clock.instant(), accessToken));
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
}
