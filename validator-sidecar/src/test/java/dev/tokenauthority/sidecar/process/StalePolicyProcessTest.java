package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_FEED_STALE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.MutableClock;
import dev.tokenauthority.sidecar.Sidecar;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import dev.tokenauthority.sidecar.validation.ValidatorSettings;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sidecar answers once the authority is gone for longer than --max-staleness. The authority
 * is a real process killed with SIGKILL; the sidecars run in this JVM, following it over loopback
 * TCP, so that their clock is a {@link MutableClock}: staleness is reached by moving the clock,
 * not by sleeping.
 *
 * <p>Proves G4 of docs/guarantees.md.
 */
class StalePolicyProcessTest {

    private static final Duration MAX_STALENESS = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private LoopbackCluster cluster;
    /** Starts at the real time, so tokens the authority issues now are neither expired nor early for it. */
    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<InProcessSidecar> sidecars = new ArrayList<>();

    @BeforeEach
    void createCluster() {
        cluster = new LoopbackCluster(dir);
    }

    @AfterEach
    void closeSidecarsAndKillEveryChild() throws Exception {
        try {
            for (InProcessSidecar sidecar : sidecars) {
                sidecar.close();
            }
        } finally {
            cluster.close();
        }
    }

    @Test
    void afterMaxStalenessWithoutTheAuthorityFailClosedDeniesAsStaleFailOpenAnswersFromItsStateAndANewSidecarServesNothing()
            throws Exception {
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo"));
        String secret = Files.readString(authority.sidecarSecretFile()).strip();
        InProcessSidecar failClosed = start("fail-closed", StalePolicy.FAIL_CLOSED, authority.port, secret);
        InProcessSidecar failOpen = start("fail-open", StalePolicy.FAIL_OPEN, authority.port, secret);
        failClosed.awaitHealth(ServingStatus.SERVING);
        failOpen.awaitHealth(ServingStatus.SERVING);

        TokenPair live = authority.login(AuthorityFixture.ALICE);
        TokenPair revoked = authority.login(AuthorityFixture.BOB);
        authority.revokeSession(authority.adminToken(), revoked.getSessionId());
        for (InProcessSidecar sidecar : List.of(failClosed, failOpen)) {
            sidecar.awaitValidation(revoked.getAccessToken(), r -> r.getReason() == DENIAL_REASON_SESSION_REVOKED);
            assertThat(sidecar.validate(live.getAccessToken()).getValid()).isTrue();
        }

        authority.process.kill();
        // Once the connection is gone no heartbeat can still arrive and make the state fresh again.
        failClosed.awaitDisconnected();
        failOpen.awaitDisconnected();

        // Not yet past max staleness: both still decide from their state.
        clock.advance(MAX_STALENESS.minusMillis(500));
        for (InProcessSidecar sidecar : List.of(failClosed, failOpen)) {
            ValidateResponse fresh = sidecar.validate(live.getAccessToken());
            assertThat(fresh.getValid()).as("%s within max staleness: %s", sidecar.name, fresh).isTrue();
            assertThat(sidecar.validate(revoked.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        }
        assertThat(failClosed.health()).isEqualTo(ServingStatus.SERVING);

        clock.advance(Duration.ofSeconds(1));
        // fail-closed: every answer is FEED_STALE, and health tells the load balancer.
        ValidateResponse closedLive = failClosed.validate(live.getAccessToken());
        assertThat(closedLive.getValid()).as("fail-closed, stale: %s", closedLive).isFalse();
        assertThat(closedLive.getReason()).isEqualTo(DENIAL_REASON_FEED_STALE);
        assertThat(closedLive.getFeedAgeMs()).isGreaterThan(MAX_STALENESS.toMillis());
        assertThat(failClosed.validate(revoked.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_FEED_STALE);
        failClosed.awaitHealth(ServingStatus.NOT_SERVING);
        // fail-open: decides from the stale state, which still holds the revocation.
        ValidateResponse openLive = failOpen.validate(live.getAccessToken());
        assertThat(openLive.getValid()).as("fail-open, stale: %s", openLive).isTrue();
        assertThat(openLive.getFeedAgeMs()).isGreaterThan(MAX_STALENESS.toMillis());
        assertThat(failOpen.validate(revoked.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);

        // Sidecars started while the authority is down have no state at all: under either policy they serve nothing.
        for (StalePolicy policy : StalePolicy.values()) {
            InProcessSidecar empty = start("empty-" + policy, policy, authority.port, secret);
            assertThat(empty.health()).as("%s before its first snapshot", empty.name)
                    .isEqualTo(ServingStatus.NOT_SERVING);
            ValidateResponse response = empty.validate(live.getAccessToken());
            assertThat(response.getValid()).isFalse();
            assertThat(response.getReason()).as("%s before its first snapshot: %s", empty.name, response)
                    .isEqualTo(DENIAL_REASON_FEED_STALE);
            assertThat(response.getFeedAgeMs()).isEqualTo(-1);
            assertThat(response.getFeedSequence()).isZero();
        }
    }

    private InProcessSidecar start(String name, StalePolicy policy, int authorityPort, String secret) throws Exception {
        InProcessSidecar sidecar = new InProcessSidecar(name, policy, authorityPort, secret);
        sidecars.add(sidecar);
        return sidecar;
    }

    /** A {@link Sidecar} in this JVM on the test's clock, following the authority process over loopback TCP. */
    private final class InProcessSidecar implements AutoCloseable {
        final String name;
        private final ManagedChannel authority;
        private final Sidecar sidecar;
        private final ManagedChannel client;

        InProcessSidecar(String name, StalePolicy policy, int authorityPort, String secret) throws Exception {
            this.name = name;
            this.authority = Grpc.newChannelBuilderForAddress("127.0.0.1", authorityPort,
                    InsecureChannelCredentials.create()).build();
            String server = InProcessServerBuilder.generateName();
            // The largest skew allowed, because this clock stands still while the authority's runs on.
            this.sidecar = new Sidecar(new Sidecar.Settings(ValidatorSettings.forIssuer(LoopbackCluster.ISSUER,
                    AcceptedAudiences.anyOf(DemoData.AUDIENCE)).withClockSkew(ValidatorSettings.MAX_CLOCK_SKEW),
                    name, DemoData.SIDECAR_CLIENT, secret, MAX_STALENESS, policy),
                    authority, List.of(InProcessServerBuilder.forName(server)), clock).start();
            this.client = InProcessChannelBuilder.forName(server).build();
        }

        ValidateResponse validate(String token) {
            return ValidatorServiceGrpc.newBlockingStub(client).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .validate(ValidateRequest.newBuilder().setToken(token).build());
        }

        ValidateResponse awaitValidation(String token, Predicate<ValidateResponse> condition) {
            return Eventually.untilAccepted(LoopbackCluster.PROPAGATION_LIMIT, name + " to answer as the test awaits",
                    () -> validate(token), condition);
        }

        ServingStatus health() {
            return HealthGrpc.newBlockingStub(client).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        }

        /** Health is re-evaluated on a timer, so a change shows within a few hundred milliseconds. */
        void awaitHealth(ServingStatus status) {
            Eventually.until(LoopbackCluster.STARTUP_LIMIT, name + " to report " + status, () -> health() == status);
        }

        void awaitDisconnected() {
            Eventually.until(LoopbackCluster.PROPAGATION_LIMIT, name + " to lose its connection to the authority",
                    () -> authority.getState(false) != ConnectivityState.READY);
        }

        @Override
        public void close() throws Exception {
            client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            sidecar.close();
            authority.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
