package dev.tokenauthority.sidecar.server;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.sidecar.feed.FeedClient;
import dev.tokenauthority.sidecar.feed.FeedFreshness;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.validation.TokenValidator;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sidecar's Prometheus metrics: validations by result and reason, Validate latency, feed lag
 * in sequences and milliseconds, revocation-set sizes and verified-token cache hits. Counters are resolved per reason once
 * up front, so recording a validation costs two lock-free increments and no allocation.
 *
 * <p>Validate's metrics record no exemplars (there is no trace to link them to, and sampling them
 * schedules a task per observation) and the latency histogram is classic only (a native one
 * looks its bucket up in a map per observation); both were visible in a profile of Validate.
 *
 * <p>It lives with {@link ValidatorGrpcService}, which records every decision here; like the service it reads the
 * feed, state and validation packages and is read by none of them.
 */
public final class SidecarMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<DenialReason, io.prometheus.metrics.core.datapoints.CounterDataPoint> byReason =
            new EnumMap<>(DenialReason.class);
    private final io.prometheus.metrics.core.datapoints.CounterDataPoint allowed;
    private final Histogram latency;

    public SidecarMetrics(InMemoryRevocationState state, FeedFreshness freshness, FeedClient feed) {
        Counter validations = Counter.builder()
                .name("tokenauthority_sidecar_validations_total")
                .help("Validate calls by result and denial reason")
                .labelNames("result", "reason")
                .withoutExemplars()
                .register(registry);
        allowed = validations.labelValues("valid", "");
        for (DenialReason reason : DenialReason.values()) {
            if (reason != DenialReason.UNRECOGNIZED && reason != DenialReason.DENIAL_REASON_UNSPECIFIED) {
                byReason.put(reason, validations.labelValues("denied", reason.name()));
            }
        }
        latency = Histogram.builder()
                .name("tokenauthority_sidecar_validate_seconds")
                .help("Time to decide a Validate call, excluding transport")
                .classicUpperBounds(0.000_001, 0.000_002, 0.000_005, 0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.01)
                .classicOnly()
                .withoutExemplars()
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_sidecar_feed_lag_sequences")
                .help("Sequences the authority has published that this sidecar has not applied")
                .callback(cb -> cb.call(Math.max(0, freshness.authoritySequence() - state.appliedSequence())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_sidecar_feed_age_milliseconds")
                .help("Milliseconds since the revocation state was last known to be in sync (-1 before the first snapshot)")
                .callback(cb -> cb.call(freshness.hasSnapshot() ? freshness.ageMillis() : -1))
                .register(registry);
        CounterWithCallback.builder()
                .name("tokenauthority_sidecar_feed_resyncs_total")
                .help("Fresh snapshots the feed client asked for instead of resuming, by cause: an event that did not "
                        + "follow the last one (missed_event), or one the state could not apply (poison_message)")
                .labelNames("cause")
                .callback(cb -> {
                    for (FeedClient.ResyncCause cause : FeedClient.ResyncCause.values()) {
                        cb.call(feed.resyncs(cause), cause.name().toLowerCase(Locale.ROOT));
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("tokenauthority_sidecar_feed_failovers_total")
                .help("Moves to another authority replica, by cause: its stream failed or ended (stream_ended), or it "
                        + "stayed open but vouched for nothing newer within --failover-after (stopped_vouching)")
                .labelNames("cause")
                .callback(cb -> {
                    for (FeedClient.FailoverCause cause : FeedClient.FailoverCause.values()) {
                        cb.call(feed.failovers(cause), cause.name().toLowerCase(Locale.ROOT));
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("tokenauthority_sidecar_feed_snapshots_total")
                .help("Snapshots applied, the first included; resuming on another replica from the position adds none")
                .callback(cb -> cb.call(feed.snapshotsApplied()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_sidecar_feed_sequence")
                .help("The feed sequence the revocation state reflects")
                .callback(cb -> cb.call(state.appliedSequence()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_sidecar_revocation_entries")
                .help("Entries in the local revocation state, by kind")
                .labelNames("kind")
                .callback(cb -> {
                    var counts = state.counts();
                    cb.call(counts.revokedTokens(), "revoked_token");
                    cb.call(counts.revokedSessions(), "revoked_session");
                    cb.call(counts.suspendedSessions(), "suspended_session");
                    cb.call(counts.userWatermarks(), "user_watermark");
                })
                .register(registry);
    }

    public void recordValidation(boolean valid, DenialReason reason, long nanos) {
        if (valid) {
            allowed.inc();
        } else {
            byReason.get(reason).inc();
        }
        latency.observe(nanos / 1e9);
    }

    /** Exports how many decisions the validator's verified-token cache answered without verifying a signature. */
    public void watch(TokenValidator validator) {
        CounterWithCallback.builder()
                .name("tokenauthority_sidecar_verified_token_cache_hits_total")
                .help("Validate calls answered from the verified-token cache (the signing key still published as it was)")
                .callback(cb -> cb.call(validator.cacheHitCount()))
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
