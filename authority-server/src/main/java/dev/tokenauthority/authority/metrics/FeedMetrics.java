package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.feed.FeedObserver;
import dev.tokenauthority.authority.feed.FeedSubscription;
import dev.tokenauthority.authority.feed.RevocationFeed;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The revocation feed as this replica serves it: the head of its log, its subscribers, the entries it sends, and how
 * far behind the head its messages leave subscribers. No label names a subscriber: a fleet of sidecars is one
 * histogram, not a series each.
 */
final class FeedMetrics implements FeedObserver {

    private final PrometheusRegistry registry;
    private final CounterDataPoint eventsSent;
    private final Histogram behindHead;

    FeedMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        eventsSent = Counter.builder()
                .name("tokenauthority_feed_events_sent_total")
                .help("Revocation-log entries sent to subscribers as live or resumed events (snapshots not included)")
                .withoutExemplars()
                .register(registry);
        behindHead = Histogram.builder()
                .name("tokenauthority_feed_subscriber_lag_sequences")
                .help("After each message to a subscriber (events, heartbeat, end of snapshot): how many entries it "
                        + "was behind the last one this replica had published")
                .classicUpperBounds(0, 1, 10, 100, 1_000, 10_000, 100_000)
                .classicOnly()
                .withoutExemplars()
                .register(registry);
    }

    void watch(RevocationFeed feed, FeedSubscription subscriptions) {
        GaugeWithCallback.builder()
                .name("tokenauthority_feed_subscribers")
                .help("Feed subscribers (sidecars) streaming from this replica right now")
                .callback(callback -> callback.call(subscriptions.subscriberCount()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_feed_head_sequence")
                .help("The sequence of the last revocation-log entry this replica has published to its subscribers")
                .callback(callback -> callback.call(feed.publishedSequence()))
                .register(registry);
    }

    @Override
    public void eventsSent(int events) {
        eventsSent.inc(events);
    }

    @Override
    public void behindHead(long sequences) {
        behindHead.observe(sequences);
    }
}
