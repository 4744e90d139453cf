package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.DenialReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * What {@link PropagationBenchmark} records of its measured rounds, and the tables it prints of
 * them: latency histograms, the round latency distribution, denial reasons, timeouts, each feed
 * probe's delays, and the optional per-round CSV.
 */
final class PropagationResults {

    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Upper bounds (ms) of the histogram buckets printed for the round latency. */
    private static final long[] BUCKETS_MS = {2, 5, 10, 20, 50, 100, 150, 250, 500};

    private final Histogram round = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Histogram local = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Histogram remote = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Histogram adminCall = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Histogram endToEnd = new Histogram(MAX_TRACKED_NANOS, 3);
    private final long[] buckets = new long[BUCKETS_MS.length + 1];
    private final Map<DenialReason, Long> reasons = new EnumMap<>(DenialReason.class);
    private long timeouts;
    /** Per feed probe, per round: nanos from RevokeToken returned to the event's arrival, or Long.MAX_VALUE. */
    private final List<List<Long>> probeDelays = new ArrayList<>();
    private final StringBuilder csv = new StringBuilder();

    PropagationResults(int feedProbes) {
        for (int k = 0; k < feedProbes; k++) {
            probeDelays.add(new ArrayList<>());
        }
    }

    void timeout() {
        timeouts++;
    }

    long timeouts() {
        return timeouts;
    }

    void denied(DenialReason reason) {
        reasons.merge(reason, 1L, Long::sum);
    }

    /** One sidecar's latency in a round, by the replica it follows. */
    void sidecar(boolean followsOtherReplica, long nanos) {
        (followsOtherReplica ? remote : local).recordValue(Math.min(nanos, MAX_TRACKED_NANOS));
    }

    /** When feed probe {@code probe} saw the round's event, from RevokeToken returned; null: not yet. */
    void probeArrival(int probe, Long delayNanos) {
        probeDelays.get(probe).add(delayNanos == null ? Long.MAX_VALUE : delayNanos);
    }

    /** The RevokeToken call and the slowest sidecar of one round. */
    void round(long callNanos, long slowestNanos) {
        round.recordValue(Math.min(slowestNanos, MAX_TRACKED_NANOS));
        adminCall.recordValue(Math.min(callNanos, MAX_TRACKED_NANOS));
        endToEnd.recordValue(Math.min(callNanos + slowestNanos, MAX_TRACKED_NANOS));
        buckets[bucketOf(slowestNanos)]++;
    }

    /**
     * The CSV line of a round (after its probe arrivals): feed sequence, RevokeToken call us, each
     * feed probe's us (empty if missing), then each sidecar's us as polled (-1 ns on timeout).
     */
    void csvLine(long feedSequence, long callNanos, long[] sidecarNanos) {
        csv.append(feedSequence).append(',').append(callNanos / 1000);
        for (List<Long> delays : probeDelays) {
            long d = delays.get(delays.size() - 1);
            csv.append(',').append(d == Long.MAX_VALUE ? "" : String.valueOf(d / 1000));
        }
        for (long nanos : sidecarNanos) {
            csv.append(',').append(nanos / 1000);
        }
        csv.append('\n');
    }

    CharSequence csv() {
        return csv;
    }

    private static int bucketOf(long nanos) {
        for (int b = 0; b < BUCKETS_MS.length; b++) {
            if (nanos <= TimeUnit.MILLISECONDS.toNanos(BUCKETS_MS[b])) {
                return b;
            }
        }
        return BUCKETS_MS.length;
    }

    void printTable(int sidecars, long remoteCount, LoopbackTarget authority, Duration roundTimeout) {
        System.out.println("| measure | n | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("RevokeToken returned -> all " + sidecars + " sidecars deny", round);
        row("  per sidecar, following " + authority, local);
        if (remoteCount > 0) {
            row("  per sidecar, following the other replica", remote);
        }
        row("RevokeToken call itself (for reference)", adminCall);
        // Work the authority does before answering moves time from the row above to this one, so
        // the first row alone cannot be improved by answering later.
        row("RevokeToken sent -> all " + sidecars + " sidecars deny (end to end)", endToEnd);
        StringBuilder dist = new StringBuilder("\nRound latency distribution (all sidecars deny):");
        long previous = 0;
        for (int b = 0; b <= BUCKETS_MS.length; b++) {
            String range = b < BUCKETS_MS.length ? previous + "-" + BUCKETS_MS[b] + " ms" : "> " + previous + " ms";
            dist.append(String.format(Locale.ROOT, " %s: %d;", range, buckets[b]));
            previous = b < BUCKETS_MS.length ? BUCKETS_MS[b] : previous;
        }
        System.out.println(dist);
        System.out.printf("Denial reasons: %s; timeouts (> %s): %d%n", reasons, roundTimeout, timeouts);
    }

    /** One line per feed probe, in the order of {@code targets}. */
    void printProbes(List<LoopbackTarget> targets) {
        for (int k = 0; k < targets.size(); k++) {
            printProbe(targets.get(k), probeDelays.get(k));
        }
    }

    /** Percentiles of signed delays (an event can reach a subscriber before the admin's answer does). */
    private static void printProbe(LoopbackTarget target, List<Long> delays) {
        List<Long> sorted = delays.stream().sorted().toList();
        long missing = sorted.stream().filter(d -> d == Long.MAX_VALUE).count();
        DoubleFunction<String> at = q -> {
            long v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
            return v == Long.MAX_VALUE ? "missing" : String.format(Locale.ROOT, "%.2f", v / 1e6);
        };
        System.out.printf(Locale.ROOT, "Feed event at a probe subscriber on %s, ms from RevokeToken returned "
                        + "(negative: before the answer): p50 %s, p99 %s, max %s "
                        + "(n %d; still on its way when every sidecar already denied: %d)%n",
                target, at.apply(0.50), at.apply(0.99), at.apply(1.0), sorted.size(), missing);
    }

    private static void row(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }
}
