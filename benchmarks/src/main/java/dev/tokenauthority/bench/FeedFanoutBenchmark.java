package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.bench.RevocableTokens.Token;
import dev.tokenauthority.bench.SteadyRevocations.Revocation;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Feed fan-out: one authority streaming a steady revocation rate to {@code --subscribers}
 * subscribers, each on its own HTTP/2 connection ({@link SubscriberFleet}), all in this JVM.
 *
 * <p>Set-up (not measured): the admin logs in; revocable access tokens are minted by refreshes
 * ({@link RevocableTokens}). Then, in order:
 * <ol>
 *   <li>{@code --warmup} of revocations at {@code --rate} with no subscriber, not recorded (the
 *       authority's JIT compiles the revocation path), then {@code --baseline} of them, for the
 *       authority's CPU per revocation without the feed's fan-out;</li>
 *   <li>heap: used heap after full collections ({@link HeapAfterFullGc}) with no subscriber, then
 *       with all of them connected, each having had its snapshot and a heartbeat; the difference
 *       divided by the count is the heap a connected subscriber costs;</li>
 *   <li>{@code --warmup} of revocations, not recorded, then {@code --duration} of them: each
 *       event's propagation is the time from its RevokeToken call returning to the driver until a
 *       subscriber received it (an event can reach subscribers before the answer reaches the
 *       driver: counted as 0). The authority's CPU over the measured phase (until every event
 *       arrived everywhere), minus the baseline's per revocation, divided by events and
 *       subscribers, is the fan-out's CPU per event per subscriber; it includes the heartbeats
 *       every subscriber gets each second.</li>
 * </ol>
 * Every subscriber checks each event's previous_sequence against its position; a gap or an event
 * that never arrives fails the run (exit code 3).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.FeedFanoutBenchmark \
 *     --authority 127.0.0.1:17371 --authority-pid PID --client-secret-file DIR/demo-sidecar.secret \
 *     --subscribers 1000 --rate 50 --duration 60s
 * </pre>
 * (processes started by {@code benchmarks/run-feed-fanout.sh})
 */
@Command(name = "feed-fanout-benchmark", mixinStandardHelpOptions = true,
        description = "Revocation propagation, heap and CPU of one authority feeding many subscribers (loopback only).")
public final class FeedFanoutBenchmark implements Callable<Integer> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    FeedLoadOptions load;

    @Option(names = "--rate", defaultValue = "50", description = "Revocations per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = LoopbackTarget.DurationConverter.class,
            description = "Measured phase (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = LoopbackTarget.DurationConverter.class,
            description = "Unrecorded phase with every subscriber connected (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--baseline", defaultValue = "10s", converter = LoopbackTarget.DurationConverter.class,
            description = "Phase with no subscriber, for the CPU a revocation costs without fan-out "
                    + "(default ${DEFAULT-VALUE}).")
    Duration baseline;

    @Option(names = "--sessions", defaultValue = "20",
            description = "Password logins to mint tokens from (default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--app-client", defaultValue = "demo-app") String appClient;
    @Option(names = "--users", split = ",", defaultValue = "alice@example.com,bob@example.com") List<String> users;
    @Option(names = "--password", defaultValue = "demo-password") String password;
    @Option(names = "--admin-user", defaultValue = "admin@example.com") String adminUser;
    @Option(names = "--admin-password", defaultValue = "demo-admin-password") String adminPassword;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FeedFanoutBenchmark()).execute(args));
    }

    private int count(Duration phase) {
        return (int) Math.round(rate * phase.toMillis() / 1000.0);
    }

    @Override
    public Integer call() throws Exception {
        int baselineCount = count(baseline);
        int warmupCount = count(warmup);
        int measuredCount = count(duration);
        ManagedChannel channel = NettyChannelBuilder.forAddress(load.authority.host(), load.authority.port())
                .usePlaintext().build();
        try {
            long mintStart = System.nanoTime();
            List<Token> tokens = RevocableTokens.mint(AuthServiceGrpc.newBlockingStub(channel), appClient, users,
                    password, sessions, baselineCount + 2 * warmupCount + measuredCount);
            System.err.printf(Locale.ROOT, "minted %d tokens in %.1f s%n", tokens.size(),
                    (System.nanoTime() - mintStart) / 1e9);
            SteadyRevocations driver = new SteadyRevocations(AdminServiceGrpc.newFutureStub(channel)
                    .withInterceptors(AdminLogin.bearer(channel, adminUser, adminPassword)), tokens, rate);
            ProcessCpuTime cpu = new ProcessCpuTime(load.authorityPid);
            ProcessCpuTime ownCpu = ProcessCpuTime.self();

            driver.run(warmupCount);
            long cpuBefore = cpu.micros();
            long baselineStart = System.nanoTime();
            driver.run(baselineCount);
            double baselineCpuPerRevocation = (cpu.micros() - cpuBefore) / (double) baselineCount;
            double baselineSeconds = (System.nanoTime() - baselineStart) / 1e9;

            double heapEmptyKb = HeapAfterFullGc.usedKb(load.authorityPid);
            EventArrivals arrivals = new EventArrivals(load.subscribers, warmupCount + measuredCount + 1);
            try (SubscriberFleet fleet = load.fleet(arrivals)) {
                long connectStart = System.nanoTime();
                fleet.start(i -> new long[] {0, 0});
                long allFresh = fleet.awaitAllFresh(connectStart, CONNECT_TIMEOUT);
                if (allFresh < 0) {
                    System.err.printf("only %d of %d subscribers caught up within %s%n",
                            fleet.freshSince(connectStart), fleet.size(), CONNECT_TIMEOUT);
                    return 3;
                }
                double connectSeconds = (allFresh - connectStart) / 1e9;
                double heapConnectedKb = HeapAfterFullGc.usedKb(load.authorityPid);
                arrivals.begin(fleet.subscribers().get(0).sequence() + 1);

                driver.run(warmupCount);
                long measuredCpuBefore = cpu.micros();
                long ownCpuBefore = ownCpu.micros();
                long measuredStart = System.nanoTime();
                SteadyRevocations.Phase phase = driver.run(measuredCount);
                List<Revocation> measured = phase.revocations();
                long last = measured.stream().mapToLong(Revocation::sequence).max().orElseThrow();
                boolean drained = awaitSequence(fleet, last);
                double measuredSeconds = (System.nanoTime() - measuredStart) / 1e9;
                long measuredCpu = cpu.micros() - measuredCpuBefore;
                long ownCpuMicros = ownCpu.micros() - ownCpuBefore;

                FanoutResults results = new FanoutResults(measured, arrivals, fleet.size());
                long gaps = fleet.sum(FeedSubscriber::gaps);
                long streamEnds = fleet.sum(FeedSubscriber::streamEnds);
                System.out.printf(Locale.ROOT, "%s%n%n", load.title(String.format(Locale.ROOT,
                        "%d subscribers (one connection each, %d event-loop threads in one JVM, %s); %d revocations at "
                                + "%.0f/s (open loop: sent at %.1f/s, up to %d calls in flight) measured after %d warm-up; "
                                + "%d cores",
                        fleet.size(), load.threads, load.snapshotForm(), measuredCount, rate,
                        measuredCount / phase.sendSeconds(),
                        phase.maxInFlight(), warmupCount,
                        Runtime.getRuntime().availableProcessors())));
                results.print(fleet.size());
                double netCpu = measuredCpu - baselineCpuPerRevocation * measuredCount;
                System.out.printf(Locale.ROOT, "%nAll %d subscribers connected and caught up in %.1f s.%n", fleet.size(),
                        connectSeconds);
                System.out.printf(Locale.ROOT, "Authority heap after full GC: %.1f MiB with no subscriber, %.1f MiB with "
                                + "%d: %.1f KiB per subscriber.%n", heapEmptyKb / 1024, heapConnectedKb / 1024,
                        fleet.size(), (heapConnectedKb - heapEmptyKb) / fleet.size());
                System.out.printf(Locale.ROOT, "Authority CPU: %.2f s over the %.1f s measured phase (%.0f%% of one core);"
                                + " %.0f us per revocation with no subscriber (baseline %.1f s); fan-out: %.2f us per event "
                                + "per subscriber (%.2f us before subtracting the baseline).%n",
                        measuredCpu / 1e6, measuredSeconds, 100.0 * measuredCpu / 1e6 / measuredSeconds,
                        baselineCpuPerRevocation, baselineSeconds, netCpu / measuredCount / fleet.size(),
                        measuredCpu / (double) measuredCount / fleet.size());
                System.out.printf(Locale.ROOT, "Load generator (this JVM, every subscriber) CPU over the same phase: "
                        + "%.2f s (%.0f%% of one core).%n", ownCpuMicros / 1e6,
                        100.0 * ownCpuMicros / 1e6 / measuredSeconds);
                System.out.printf("Continuity: %d gaps (previous_sequence not the position held); %d stream ends; "
                        + "every event delivered everywhere: %s.%n", gaps, streamEnds, drained ? "yes" : "NO");
                return gaps == 0 && streamEnds == 0 && drained && results.missing() == 0 ? 0 : 3;
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** Waits until every subscriber holds {@code sequence} or later; false on timeout. */
    private static boolean awaitSequence(SubscriberFleet fleet, long sequence) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (fleet.subscribers().stream().allMatch(s -> s.sequence() >= sequence)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
