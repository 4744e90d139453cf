package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.login.LoginOutcome;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
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
                        + "throttled (refused before hashing), disabled (right password, disabled account)")
                .labelNames("outcome")
                .withoutExemplars()
                .register(registry);
        for (LoginOutcome outcome : LoginOutcome.values()) {
            logins.put(outcome, loginsTotal.labelValues(outcome.name().toLowerCase(Locale.ROOT)));
        }
    }

    public void login(LoginOutcome outcome) {
        logins.get(outcome).inc();
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
