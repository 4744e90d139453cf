package dev.tokenauthority.bench;

import dev.tokenauthority.bench.SteadyRevocations.Revocation;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The propagation figures of {@link FeedFanoutBenchmark}, from each revocation's return time and
 * each subscriber's arrival time of its event: per event the slowest subscriber, every
 * (event, subscriber) pair, and each subscriber's own p99.
 */
final class FanoutResults {

    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram allSubscribers = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Histogram eachPair = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Histogram perSubscriberP99 = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Histogram adminCall = new Histogram(MAX_TRACKED_NANOS, 3);
    /** (event, subscriber) pairs whose event never arrived. */
    private long missing;
    /** Pairs whose event arrived before RevokeToken returned to the driver (counted as 0). */
    private long beforeAnswer;

    FanoutResults(List<Revocation> revocations, EventArrivals arrivals, int subscribers) {
        long[] slowest = new long[revocations.size()];
        Histogram one = new Histogram(MAX_TRACKED_NANOS, 3);
        for (int k = 0; k < subscribers; k++) {
            one.reset();
            for (int j = 0; j < revocations.size(); j++) {
                Revocation r = revocations.get(j);
                long at = arrivals.arrival(k, r.sequence());
                if (at == 0) {
                    missing++;
                    slowest[j] = MAX_TRACKED_NANOS;
                    continue;
                }
                long nanos = at - r.returnedAtNanos();
                if (nanos < 0) {
                    beforeAnswer++;
                    nanos = 0;
                }
                nanos = Math.min(nanos, MAX_TRACKED_NANOS);
                one.recordValue(nanos);
                eachPair.recordValue(nanos);
                slowest[j] = Math.max(slowest[j], nanos);
            }
            if (one.getTotalCount() > 0) {
                perSubscriberP99.recordValue(one.getValueAtPercentile(99));
            }
        }
        for (int j = 0; j < revocations.size(); j++) {
            allSubscribers.recordValue(slowest[j]);
            adminCall.recordValue(Math.min(revocations.get(j).callNanos(), MAX_TRACKED_NANOS));
        }
    }

    long missing() {
        return missing;
    }

    /** p99 of the event reaching every subscriber, in ms. */
    double allSubscribersP99Ms() {
        return allSubscribers.getValueAtPercentile(99) / 1e6;
    }

    void print(int subscribers) {
        System.out.println("| propagation, from RevokeToken returned | n | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("event at all " + subscribers + " subscribers", allSubscribers);
        row("event at one subscriber (every pair)", eachPair);
        row("one subscriber's own p99 (over subscribers)", perSubscriberP99);
        row("RevokeToken call itself (for reference)", adminCall);
        System.out.printf(Locale.ROOT, "Pairs whose event arrived before RevokeToken returned (counted as 0): %d; "
                + "never arrived: %d%n", beforeAnswer, missing);
    }

    private static void row(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }
}
