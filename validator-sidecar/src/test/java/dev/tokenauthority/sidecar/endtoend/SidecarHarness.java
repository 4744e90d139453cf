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
import dev.tokenauthority.sidecar.feed.FeedClient;
import dev.tokenauthority.sidecar.server.ExtAuthzGrpcService;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        this(authority.channel(), authority.sidecarSecret, audiences, policy, clock,
                ExtAuthzGrpcService.DEFAULT_HEADER_PREFIX);
    }

    /** A sidecar following {@code authority}'s feed, whose ext_authz Check names its headers with {@code headerPrefix}. */
    SidecarHarness(Channel authority, String sidecarSecret, AcceptedAudiences audiences, StalePolicy policy,
            Clock clock, String headerPrefix) throws Exception {
        this(authority, "test-sidecar", sidecarSecret, audiences, policy, clock, headerPrefix);
    }

    /** A fail-closed sidecar named {@code sidecarId} on the feed of the authority reached through {@code authority}. */
    SidecarHarness(Channel authority, String sidecarId, String sidecarSecret, Clock clock) throws Exception {
        this(authority, sidecarId, sidecarSecret, AcceptedAudiences.anyOf(DemoData.AUDIENCE), StalePolicy.FAIL_CLOSED,
                clock, ExtAuthzGrpcService.DEFAULT_HEADER_PREFIX);
    }

    private SidecarHarness(Channel authority, String sidecarId, String sidecarSecret, AcceptedAudiences audiences,
            StalePolicy policy, Clock clock, String headerPrefix) throws Exception {
        String name = InProcessServerBuilder.generateName();
        sidecar = new Sidecar(new Sidecar.Settings(ValidatorSettings.forIssuer(AuthorityFixture.ISSUER, audiences),
                sidecarId, DemoData.SIDECAR_CLIENT, sidecarSecret, Duration.ofSeconds(30), policy,
                FeedClient.DEFAULT_FAILOVER_AFTER, headerPrefix),
                authority, List.of(InProcessServerBuilder.forName(name)), clock).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    /**
     * Envoy's ext_authz Check through Envoy's own generated stub, as Envoy sends it: the request's headers (lower-case
     * names) and the route's context extensions.
     */
    CheckResponse check(Map<String, String> headers, Map<String, String> contextExtensions) {
        return AuthorizationGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                        .setRequest(AttributeContext.Request.newBuilder().setHttp(AttributeContext.HttpRequest
                                .newBuilder().setMethod("GET").setPath("/orders").putAllHeaders(headers)))
                        .putAllContextExtensions(contextExtensions)).build());
    }

    /** Check of a request bearing {@code token}, on a route with no requirements. */
    CheckResponse check(String token) {
        return check(Map.of("authorization", "Bearer " + token), Map.of());
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
