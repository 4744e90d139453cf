package dev.tokenauthority.sidecar;

import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.sidecar.feed.AuthorityReplicas;
import dev.tokenauthority.sidecar.feed.FeedClient;
import dev.tokenauthority.sidecar.feed.FeedFreshness;
import dev.tokenauthority.sidecar.server.ExtAuthzGrpcService;
import dev.tokenauthority.sidecar.server.LocalDecisions;
import dev.tokenauthority.sidecar.server.SidecarMetrics;
import dev.tokenauthority.sidecar.server.SidecarServer;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.server.ValidatorGrpcService;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.validation.TokenValidator;
import dev.tokenauthority.sidecar.validation.ValidatorSettings;
import io.grpc.Channel;
import io.grpc.ServerBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A validator sidecar wired by hand: feed client, then the state it writes, then the validator
 * that only reads it. Tests build it with in-process transports; {@code main} with Netty.
 */
public final class Sidecar implements AutoCloseable {

    private final InMemoryRevocationState state;
    private final FeedFreshness freshness;
    private final FeedClient feed;
    private final SidecarServer server;
    private final SidecarMetrics metrics;

    /**
     * Everything a sidecar needs to know; {@code failoverAfter} is how long a replica may go without vouching for
     * freshness before the feed client moves to the next one.
     */
    public record Settings(ValidatorSettings validator, String sidecarId, String clientId, String clientSecret,
            Duration maxStaleness, StalePolicy stalePolicy, Duration failoverAfter, String extAuthzHeaderPrefix) {

        public Settings(ValidatorSettings validator, String sidecarId, String clientId, String clientSecret,
                Duration maxStaleness, StalePolicy stalePolicy, Duration failoverAfter) {
            this(validator, sidecarId, clientId, clientSecret, maxStaleness, stalePolicy, failoverAfter,
                    ExtAuthzGrpcService.DEFAULT_HEADER_PREFIX);
        }

        public Settings(ValidatorSettings validator, String sidecarId, String clientId, String clientSecret,
                Duration maxStaleness, StalePolicy stalePolicy) {
            this(validator, sidecarId, clientId, clientSecret, maxStaleness, stalePolicy,
                    FeedClient.DEFAULT_FAILOVER_AFTER);
        }
    }

    public Sidecar(Settings settings, Channel authority, List<ServerBuilder<?>> listeners, Clock clock) {
        this(settings, AuthorityReplicas.of(authority), listeners, clock);
    }

    public Sidecar(Settings settings, AuthorityReplicas authority, List<ServerBuilder<?>> listeners, Clock clock) {
        // A revoked token stays revoked for as long as this validator could still accept it.
        this.state = new InMemoryRevocationState(RevocationRetention.atValidator(settings.validator().clockSkew()));
        this.freshness = new FeedFreshness(clock, settings.maxStaleness());
        this.feed = new FeedClient(authority, settings.failoverAfter(), settings.sidecarId(), settings.clientId(),
                settings.clientSecret(), state, freshness, clock);
        this.metrics = new SidecarMetrics(state, freshness, feed);
        TokenValidator validator = new TokenValidator(settings.validator(), state, clock);
        metrics.watch(validator);
        LocalDecisions decisions = new LocalDecisions(validator, freshness, settings.stalePolicy());
        this.server = new SidecarServer(listeners, List.of(
                new ValidatorGrpcService(decisions, state, freshness, metrics),
                new ExtAuthzGrpcService(decisions, metrics, settings.extAuthzHeaderPrefix())), freshness);
    }

    public Sidecar start() throws IOException {
        server.start();
        feed.start();
        return this;
    }

    public SidecarServer server() {
        return server;
    }

    public InMemoryRevocationState state() {
        return state;
    }

    public FeedFreshness freshness() {
        return freshness;
    }

    public SidecarMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() throws InterruptedException {
        feed.close();
        server.stop();
    }
}
