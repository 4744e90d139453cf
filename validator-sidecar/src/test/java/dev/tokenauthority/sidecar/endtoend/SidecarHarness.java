package dev.tokenauthority.sidecar.endtoend;

import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.sidecar.Sidecar;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import dev.tokenauthority.sidecar.validation.ValidatorSettings;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A sidecar following an in-process authority (an {@link AuthorityFixture}), reached over in-process gRPC. */
final class SidecarHarness implements AutoCloseable {

    /** How long a test waits for the sidecar to serve, or to reflect what the authority did. */
    static final Duration WAIT_LIMIT = Duration.ofSeconds(15);

    final Sidecar sidecar;
    private final ManagedChannel channel;

    SidecarHarness(AuthorityFixture authority, StalePolicy policy, Clock clock) throws Exception {
        this(authority, AcceptedAudiences.anyOf(DemoData.AUDIENCE), policy, clock);
    }

    SidecarHarness(AuthorityFixture authority, AcceptedAudiences audiences, StalePolicy policy, Clock clock)
            throws Exception {
        String name = InProcessServerBuilder.generateName();
        sidecar = new Sidecar(new Sidecar.Settings(ValidatorSettings.forIssuer(AuthorityFixture.ISSUER, audiences),
                "test-sidecar", DemoData.SIDECAR_CLIENT, authority.sidecarSecret, Duration.ofSeconds(30), policy),
                authority.channel(), List.of(InProcessServerBuilder.forName(name)), clock).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    ValidateResponse validate(String token) {
        return validate(token, "");
    }

    /** Validate with the request's own audience ({@code ""}: none). */
    ValidateResponse validate(String token, String audience) {
        return ValidatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .validate(ValidateRequest.newBuilder().setToken(token).setAudience(audience).build());
    }

    /** Polls Validate until the answer satisfies {@code condition} (bounded), and returns it. */
    ValidateResponse awaitValidation(String token, Predicate<ValidateResponse> condition) {
        return Eventually.untilAccepted(WAIT_LIMIT, "the sidecar to answer as the test awaits",
                () -> validate(token), condition);
    }

    HealthCheckResponse.ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    void awaitServing() {
        Eventually.until(WAIT_LIMIT, "the sidecar to report SERVING",
                () -> health() == HealthCheckResponse.ServingStatus.SERVING);
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        sidecar.close();
    }
}
