package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.feed.SharedSnapshots;
import dev.tokenauthority.authority.login.LoginOutcome;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The authority's Prometheus metrics, all registered in the one registry the Authority is given
 * (served by {@link MetricsListener}). A new metric is a field built in the constructor and a
 * method that records it. Label values are resolved once up front, so recording is one lock-free
 * increment; no exemplars (there is no trace to link them to).
 */
public final class AuthorityMetrics {

    private final PrometheusRegistry registry;
    private final Map<LoginOutcome, CounterDataPoint> logins = new EnumMap<>(LoginOutcome.class);

    public AuthorityMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        Counter loginsTotal = Counter.builder()
                .name("tokenauthority_logins_total")
                .help("Password logins by outcome: success, bad_credentials (unknown account or wrong password), "
                        + "throttled (refused before hashing), disabled (right password, disabled account), "
                        + "overloaded (refused at once: every password-hashing place was taken)")
                .labelNames("outcome")
                .withoutExemplars()
                .register(registry);
        for (LoginOutcome outcome : LoginOutcome.values()) {
            logins.put(outcome, loginsTotal.labelValues(outcome.name().toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * The feed's shared (hashed) snapshots: how many were built, how many handed out, and the size of the last. Full
     * snapshots, read for each subscriber that does not ask for the hashed form, are not counted.
     */
    public void feedSnapshots(SharedSnapshots snapshots) {
        CounterWithCallback.builder()
                .name("tokenauthority_feed_snapshots_built_total")
                .help("Feed snapshots read from the log and encoded once, to be shared by every subscriber needing one")
                .callback(callback -> callback.call(snapshots.encodedCount()))
                .register(registry);
        CounterWithCallback.builder()
                .name("tokenauthority_feed_snapshots_handed_out_total")
                .help("Shared feed snapshots handed to subscribers that needed one (before sending; a subscriber that "
                        + "leaves meanwhile is counted); the ratio to the built ones is the sharing")
                .callback(callback -> callback.call(snapshots.handedOutCount()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_feed_snapshot_bytes")
                .help("Size on the wire of the last shared feed snapshot built, in bytes")
                .callback(callback -> callback.call(snapshots.lastBytes()))
                .register(registry);
    }

    public void login(LoginOutcome outcome) {
        logins.get(outcome).inc();
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
