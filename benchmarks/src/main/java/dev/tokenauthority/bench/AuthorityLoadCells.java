package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.AuthorityLoadClient.MAX_TRACKED_NANOS;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Runs the cells of {@link AuthorityLoad}: N client threads on one shared channel (or one each),
 * a warm-up, then a measured window; bounded in time (window plus a grace, after which the
 * channels are shut down) and in count ({@code maxOps}).
 */
final class AuthorityLoadCells {

    /** How long past the measured window a cell may take before its channel is shut down. */
    private static final Duration CELL_GRACE = Duration.ofSeconds(15);

    record CellResult(double opsPerSecond, double p50Millis, double p99Millis, long errors,
            Map<Status.Code, Long> errorsByCode) {}

    private final String host;
    private final int port;
    private final boolean channelPerClient;
    private final Duration warmup;
    private final Duration duration;
    private final long maxOps;
    private final Duration callDeadline;
    private final AuthorityRequests requests;

    AuthorityLoadCells(String host, int port, boolean channelPerClient, Duration warmup, Duration duration, long maxOps,
            Duration callDeadline, AuthorityRequests requests) {
        this.host = host;
        this.port = port;
        this.channelPerClient = channelPerClient;
        this.warmup = warmup;
        this.duration = duration;
        this.maxOps = maxOps;
        this.callDeadline = callDeadline;
        this.requests = requests;
    }

    CellResult run(AuthorityOperation op, int clients) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        Supplier<ManagedChannel> newChannel = () -> {
            ManagedChannel c = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                    .build();
            channels.add(c);
            return c;
        };
        ManagedChannel shared = channelPerClient ? null : newChannel.get();
        long[] phase = new long[2];
        CyclicBarrier start = new CyclicBarrier(clients, () -> {
            long now = System.nanoTime();
            phase[0] = now + warmup.toNanos();
            phase[1] = phase[0] + duration.toNanos();
        });
        AtomicLong issued = new AtomicLong();
        List<AuthorityLoadClient> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ManagedChannel channel = channelPerClient ? newChannel.get() : shared;
            AuthorityLoadClient w = new AuthorityLoadClient(op, i, AuthServiceGrpc.newBlockingStub(channel), start, phase,
                    issued, maxOps, callDeadline, requests);
            Thread t = new Thread(w, "load-" + op.name().toLowerCase(Locale.ROOT) + "-" + i);
            t.setDaemon(true);
            workers.add(w);
            threads.add(t);
        }
        long startedAt = System.nanoTime();
        threads.forEach(Thread::start);

        // Time bound: setup (logins) + warm-up + window + grace; then cut the calls off.
        long budgetNanos = Duration.ofSeconds(60).toNanos() + warmup.toNanos() + duration.toNanos() + CELL_GRACE.toNanos();
        for (Thread t : threads) {
            long left = budgetNanos - (System.nanoTime() - startedAt);
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        boolean overran = threads.stream().anyMatch(Thread::isAlive);
        if (overran) {
            System.err.printf("  %s/%d: overran its time budget; cancelling in-flight calls%n", op, clients);
            start.reset();
            threads.forEach(Thread::interrupt);
            channels.forEach(ManagedChannel::shutdownNow);
            for (Thread t : threads) {
                t.join(5_000);
            }
        }
        for (ManagedChannel c : channels) {
            c.shutdown();
            if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
                c.shutdownNow();
            }
        }
        for (AuthorityLoadClient w : workers) {
            if (w.failure != null && !(w.failure instanceof BrokenBarrierException)) {
                throw new IllegalStateException(op + "/" + clients + " failed: " + w.failure, w.failure);
            }
        }
        if (overran) {
            throw new IllegalStateException(op + "/" + clients + " overran its time budget");
        }
        return merge(workers, phase[0]);
    }

    private CellResult merge(List<AuthorityLoadClient> workers, long measureStart) {
        Histogram all = new Histogram(MAX_TRACKED_NANOS, 3);
        long ok = 0;
        long lastCompletion = measureStart;
        Map<Status.Code, Long> errorsByCode = new TreeMap<>();
        for (AuthorityLoadClient w : workers) {
            all.add(w.histogram);
            ok += w.measured;
            lastCompletion = Math.max(lastCompletion, w.lastCompletion);
            w.errors.forEach((code, count) -> errorsByCode.merge(code, count, Long::sum));
        }
        // The window ends at the measured end or at the last completion, whichever is later (a slow
        // Login started just before the end completes after it).
        double seconds = Math.max(duration.toNanos(), lastCompletion - measureStart) / 1e9;
        long errors = errorsByCode.values().stream().mapToLong(Long::longValue).sum();
        return new CellResult(ok / seconds, all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(99) / 1e6,
                errors, errorsByCode);
    }
}
