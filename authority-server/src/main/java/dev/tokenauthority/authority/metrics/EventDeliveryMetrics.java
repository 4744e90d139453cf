package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.events.DeliveryObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Pushes of Security Event Tokens by outcome, whatever the receiver (no label names one), and the
 * outbox's backlog over every receiver, read from the database at scrape time.
 */
final class EventDeliveryMetrics implements DeliveryObserver {

    private final Map<Outcome, CounterDataPoint> outcomes = new EnumMap<>(Outcome.class);

    EventDeliveryMetrics(PrometheusRegistry registry) {
        Counter counter = Counter.builder()
                .name("tokenauthority_events_pushed_total")
                .help("Attempts at pushing a revocation event (SET) to a receiver, by outcome: delivered (202), "
                        + "refused (400: dropped), retried (any other answer or none: tried again later), expired "
                        + "(older than --event-delivery-max-age: dropped undelivered)")
                .labelNames("outcome")
                .withoutExemplars()
                .register(registry);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, counter.labelValues(outcome.name().toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public void attempted(Outcome outcome) {
        outcomes.get(outcome).inc();
    }

    /** The outbox's backlog, read when scraped; skipped when the database does not answer. */
    static void watchBacklog(PrometheusRegistry registry, LongSupplier backlog) {
        GaugeWithCallback.builder()
                .name("tokenauthority_events_backlog")
                .help("Revocation events waiting in the outbox for their receivers, over every receiver")
                .callback(callback -> {
                    try {
                        callback.call(backlog.getAsLong());
                    } catch (RuntimeException databaseDown) {
                        // no sample: the database metrics say why
                    }
                })
                .register(registry);
    }
}
