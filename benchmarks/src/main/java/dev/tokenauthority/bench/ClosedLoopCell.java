package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.AuthorityLoadClient.MAX_TRACKED_NANOS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One closed-loop cell of {@link PeerBenchmark}: N client threads call back to back, a warm-up,
 * then a measured window; only calls that start inside the window are recorded, each client into
 * its own histogram, merged at the end. The CPU of the serving processes is sampled at the
 * window's edges, so CPU per operation covers exactly the recorded calls' window.
 */
final class ClosedLoopCell {

    /** One client's calls; each client is used by one thread only. */
    interface Client {
        /** One call; false (or an exception) if it failed. After a failure the next call must work again. */
        boolean call() throws Exception;
    }

    record Result(int clients, double opsPerSecond, double p50Millis, double p99Millis, long errors,
            double serverMicrosPerOp, double postgresMicrosPerOp) {}

    private final Duration warmup;
    private final Duration duration;
    private final ServingCpu cpu;

    ClosedLoopCell(Duration warmup, Duration duration, ServingCpu cpu) {
        this.warmup = warmup;
        this.duration = duration;
        this.cpu = cpu;
    }

    /** Runs {@code clients} (already set up: logged in, holding their tokens) for one cell. */
    Result run(List<? extends Client> clients) throws Exception {
        int n = clients.size();
        long[] window = new long[2];
        CyclicBarrier start = new CyclicBarrier(n + 1, () -> {
            window[0] = System.nanoTime() + warmup.toNanos();
            window[1] = window[0] + duration.toNanos();
        });
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Worker w = new Worker(clients.get(i), start, window);
            workers.add(w);
            Thread t = new Thread(w, "peer-client-" + i);
            threads.add(t);
            t.start();
        }
        start.await();
        sleepUntil(window[0]);
        ServingCpu.Sample before = cpu.sample();
        sleepUntil(window[1]);
        ServingCpu.Sample after = cpu.sample();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30) + 1);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " still running 30 s after the window");
            }
        }
        Histogram all = new Histogram(MAX_TRACKED_NANOS, 3);
        long errors = 0;
        for (Worker w : workers) {
            all.add(w.histogram);
            errors += w.errors;
        }
        long ops = all.getTotalCount();
        ServingCpu.Usage used = after.since(before);
        double perOp = Math.max(ops, 1);
        return new Result(n, ops / (duration.toNanos() / 1e9), all.getValueAtPercentile(50) / 1e6,
                all.getValueAtPercentile(99) / 1e6, errors, used.serverMicros() / perOp, used.postgresMicros() / perOp);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static final class Worker implements Runnable {
        private final Client client;
        private final CyclicBarrier start;
        private final long[] window;
        final Histogram histogram = new Histogram(MAX_TRACKED_NANOS, 3);
        long errors;

        Worker(Client client, CyclicBarrier start, long[] window) {
            this.client = client;
            this.start = start;
            this.window = window;
        }

        @Override
        public void run() {
            try {
                start.await();
            } catch (Exception e) {
                return;
            }
            long measureStart = window[0];
            long measureEnd = window[1];
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= measureEnd) {
                    return;
                }
                boolean ok;
                try {
                    ok = client.call();
                } catch (Exception e) {
                    ok = false;
                }
                long t1 = System.nanoTime();
                if (t0 >= measureStart) {
                    if (ok) {
                        histogram.recordValue(Math.min(t1 - t0, MAX_TRACKED_NANOS));
                    } else {
                        errors++;
                    }
                }
            }
        }
    }
}
