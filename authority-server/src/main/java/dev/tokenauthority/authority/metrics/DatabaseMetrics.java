package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.ConnectionPoolState;
import dev.tokenauthority.authority.TransactionTimer;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The token database as this process sees it: its transactions' latency and ending, its connection pool (HikariCP's
 * own counters, read at scrape time: the pool's Prometheus tracker is written for the older simpleclient), and the
 * schema version it runs on.
 */
final class DatabaseMetrics implements TransactionTimer {

    private final PrometheusRegistry registry;
    private final Map<Ending, DistributionDataPoint> transactions = new EnumMap<>(Ending.class);

    DatabaseMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        Histogram histogram = Histogram.builder()
                .name("tokenauthority_db_transaction_duration_seconds")
                .help("Time a transaction took for its caller, retries after a serialization failure included, by "
                        + "ending: committed, rolled_back, unavailable (the database could not be reached)")
                .labelNames("ending")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .classicOnly()
                .withoutExemplars()
                .register(registry);
        for (Ending ending : Ending.values()) {
            transactions.put(ending, histogram.labelValues(ending.name().toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public void finished(Ending ending, long nanos) {
        transactions.get(ending).observe(nanos / 1e9);
    }

    void watch(Supplier<ConnectionPoolState> pools, String schemaVersion) {
        GaugeWithCallback.builder()
                .name("tokenauthority_db_pool_connections")
                .help("Database pool connections by state: active (in use), idle, max (the pool's limit), and "
                        + "pending (callers waiting for a connection, not connections)")
                .labelNames("state")
                .callback(callback -> {
                    ConnectionPoolState pool = pools.get();
                    callback.call(pool.active(), "active");
                    callback.call(pool.idle(), "idle");
                    callback.call(pool.waiting(), "pending");
                    callback.call(pool.max(), "max");
                })
                .register(registry);
        double version = schemaVersion(schemaVersion);
        GaugeWithCallback.builder()
                .name("tokenauthority_db_schema_version")
                .help("The version of the last Flyway migration applied to the database (V9__... is 9), as opened")
                .callback(callback -> callback.call(version))
                .register(registry);
    }

    /** "9" is 9, "6.1" is 6.1; a version of more parts keeps its first two. */
    static double schemaVersion(String version) {
        String[] parts = version.split("\\.");
        return Double.parseDouble(parts.length == 1 ? parts[0] : parts[0] + "." + parts[1]);
    }
}
