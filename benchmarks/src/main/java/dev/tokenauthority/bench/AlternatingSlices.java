package dev.tokenauthority.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop measurement of two methods on one channel in alternating slices (see
 * {@link SidecarLoad}): N calls are kept in flight by N "slots"; a slot starts a call and, when its
 * answer arrives, records the latency and starts the next call from the callback. Only calls
 * started inside a measured slice are recorded; each slice waits for its calls in flight before
 * the next starts, and is abandoned a grace period after its end whatever happens.
 */
final class AlternatingSlices {

    /** Histograms track latencies up to this; longer calls are clamped (the call deadline is lower). */
    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long past its window a cell may run before its calls are abandoned. */
    private static final Duration CELL_GRACE = Duration.ofSeconds(10);

    record CellResult(double opsPerSecond, double p50Micros, double p99Micros, long errors,
            double sidecarCpuMicrosPerCall, double loadGeneratorCpuMicrosPerCall) {}

    /** Both methods at one in-flight level, and the spread of the per-slice-pair throughput ratio. */
    record PairResult(CellResult health, CellResult validate, double minRatio, double maxRatio) {}

    private final Duration warmup;
    private final Duration duration;
    private final int slices;
    private final long maxOps;
    private final Duration callDeadline;
    private final Long sidecarPid;
    private final AtomicLong totalIssued = new AtomicLong();

    /**
     * This process's own CPU time per call: on a shared machine the load generator competes with
     * the sidecar for the same cores, so what a response costs the caller to parse moves the
     * figures as much as what it costs the sidecar to produce.
     */
    private final ProcessCpuTime loadGeneratorCpu = ProcessCpuTime.self();

    /** {@code maxOps} caps the calls of all pairs run by this instance; {@code sidecarPid} may be null. */
    AlternatingSlices(Duration warmup, Duration duration, int slices, long maxOps, Duration callDeadline, Long sidecarPid) {
        this.warmup = warmup;
        this.duration = duration;
        this.slices = slices;
        this.maxOps = maxOps;
        this.callDeadline = callDeadline;
        this.sidecarPid = sidecarPid;
    }

    /** Latencies and counts of one or more measured slices of one method. */
    private static final class Tally {
        final Histogram histogram = new Histogram(MAX_TRACKED_NANOS, 3);
        long calls;
        long errors;
        long nanos;
        long sidecarCpuMicros;
        long loadGeneratorCpuMicros;

        double opsPerSecond() {
            return calls / (nanos / 1e9);
        }

        CellResult result() {
            return new CellResult(opsPerSecond(), histogram.getValueAtPercentile(50) / 1e3,
                    histogram.getValueAtPercentile(99) / 1e3, errors,
                    calls == 0 ? Double.NaN : (double) sidecarCpuMicros / calls,
                    calls == 0 ? Double.NaN : (double) loadGeneratorCpuMicros / calls);
        }

        void add(Tally slice) {
            histogram.add(slice.histogram);
            calls += slice.calls;
            errors += slice.errors;
            nanos += slice.nanos;
            sidecarCpuMicros += slice.sidecarCpuMicros;
            loadGeneratorCpuMicros += slice.loadGeneratorCpuMicros;
        }
    }

    /**
     * Measures Health and Validate at one in-flight level in alternating slices: a warm-up
     * alternating both in 1 s slices (not recorded), then {@code slices} measured slices of each,
     * order flipped every pair (H V, V H, ...), so both methods see the same machine even when
     * co-tenants come and go.
     */
    PairResult runPair(ManagedChannel channel, UnaryProbe<?, ?> health, UnaryProbe<?, ?> validate, int slots)
            throws InterruptedException {
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        boolean flip = false;
        while (System.nanoTime() < warmupEnd) {
            long slice = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(1, warmupEnd - System.nanoTime()));
            if (flip) {
                runSlice(channel, validate, slots, slice, null);
            } else {
                runSlice(channel, health, slots, slice, null);
            }
            flip = !flip;
        }
        Tally h = new Tally();
        Tally v = new Tally();
        long sliceNanos = duration.toNanos() / slices;
        double minRatio = Double.MAX_VALUE;
        double maxRatio = 0;
        for (int i = 0; i < slices; i++) {
            Tally hs = new Tally();
            Tally vs = new Tally();
            if (i % 2 == 0) {
                runSlice(channel, health, slots, sliceNanos, hs);
                runSlice(channel, validate, slots, sliceNanos, vs);
            } else {
                runSlice(channel, validate, slots, sliceNanos, vs);
                runSlice(channel, health, slots, sliceNanos, hs);
            }
            double ratio = vs.opsPerSecond() / hs.opsPerSecond();
            minRatio = Math.min(minRatio, ratio);
            maxRatio = Math.max(maxRatio, ratio);
            h.add(hs);
            v.add(vs);
        }
        return new PairResult(h.result(), v.result(), minRatio, maxRatio);
    }

    /** The sidecar's CPU time so far, or 0 when no pid was given. */
    private long sidecarCpuMicros() {
        return sidecarPid == null ? 0 : new ProcessCpuTime(sidecarPid).micros();
    }

    /**
     * Keeps {@code slots} calls of {@code probe} in flight for {@code nanos}; records calls started in
     * that time into {@code tally} (null: warm-up), then waits for the calls in flight to finish.
     */
    private <Q, R> void runSlice(ManagedChannel channel, UnaryProbe<Q, R> probe, int slots, long nanos, Tally tally)
            throws InterruptedException {
        long sidecarCpuBefore = sidecarCpuMicros();
        long loadGeneratorCpuBefore = loadGeneratorCpu.micros();
        long start = System.nanoTime();
        long end = start + nanos;
        Recorder recorder = new Recorder(MAX_TRACKED_NANOS, 3);
        AtomicLong issued = new AtomicLong();
        AtomicLong measured = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(slots);
        CallOptions options = CallOptions.DEFAULT;

        final class Slot {
            void next() {
                long t0 = System.nanoTime();
                if (t0 >= end || totalIssued.incrementAndGet() > maxOps) {
                    finished.countDown();
                    return;
                }
                issued.incrementAndGet();
                ClientCalls.asyncUnaryCall(channel.newCall(probe.method(),
                                options.withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS)),
                        probe.request(), new StreamObserver<R>() {
                            private boolean ok;

                            @Override
                            public void onNext(R value) {
                                ok = probe.ok().test(value);
                            }

                            @Override
                            public void onError(Throwable t) {
                                done(false);
                            }

                            @Override
                            public void onCompleted() {
                                done(ok);
                            }

                            private void done(boolean success) {
                                long t1 = System.nanoTime();
                                if (success) {
                                    recorder.recordValue(Math.min(t1 - t0, MAX_TRACKED_NANOS));
                                    measured.incrementAndGet();
                                } else {
                                    errors.incrementAndGet();
                                }
                                next();
                            }
                        });
            }
        }

        for (int i = 0; i < slots; i++) {
            new Slot().next();
        }
        long budgetNanos = end - System.nanoTime() + CELL_GRACE.toNanos();
        if (!finished.await(budgetNanos, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(probe.name() + "/" + slots + " overran its time budget");
        }
        if (totalIssued.get() > maxOps) {
            throw new IllegalStateException("--max-ops " + maxOps + " reached");
        }
        if (tally != null) {
            tally.histogram.add(recorder.getIntervalHistogram());
            tally.calls += measured.get();
            tally.errors += errors.get();
            tally.nanos += nanos;
            tally.sidecarCpuMicros += sidecarCpuMicros() - sidecarCpuBefore;
            tally.loadGeneratorCpuMicros += loadGeneratorCpu.micros() - loadGeneratorCpuBefore;
        }
    }
}
