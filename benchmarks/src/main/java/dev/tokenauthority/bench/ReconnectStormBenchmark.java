package dev.tokenauthority.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Reconnect storm: an authority with a large revocation state is killed ({@code SIGKILL}) and
 * started again while {@code --subscribers} subscribers ({@link SubscriberFleet}) reconnect with
 * the sidecar's backoff.
 *
 * <p>Set-up: {@code --state-entries} live entries are written into the log by SQL
 * ({@link RevocationLogSeed}). The subscribers start at the log's end as the seed left it, as if
 * they had synced before; {@code --initial-snapshots} of them start from nothing and take a
 * snapshot. Once every one has had a heartbeat, the authority is killed; a {@code --snapshot-fraction}
 * of the subscribers (spread evenly) forget their position first, as sidecars started anew would,
 * and must get a snapshot; the others present the position they hold and must resume without one.
 * The restart command (given by the script, same flags and database) starts it again.
 *
 * <p>Reported: time from launching the restart until every subscriber is fresh again (caught up
 * to the head and a heartbeat received on its new stream); the new authority's peak used heap
 * ({@code jstat -gc} every {@code --heap-sample-interval}) and its CPU until then (start-up
 * included); snapshots received and their bytes on the wire per entry (every message of the
 * snapshot, with gRPC's 5-byte prefix, over {@code SnapshotEnd.entry_count}). The subscribers
 * build no revocation tables: they decode every message but snapshot chunks, which they count.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.ReconnectStormBenchmark \
 *     --authority 127.0.0.1:17371 --authority-pid PID --client-secret-file DIR/demo-sidecar.secret \
 *     --db-url jdbc:postgresql://127.0.0.1:5432/DB --db-user postgres --restart-command DIR/start-authority.sh
 * </pre>
 * (processes started by {@code benchmarks/run-feed-fanout.sh})
 */
@Command(name = "reconnect-storm-benchmark", mixinStandardHelpOptions = true,
        description = "Kills and restarts an authority under many feed subscribers with a large revocation state.")
public final class ReconnectStormBenchmark implements Callable<Integer> {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Mixin
    FeedLoadOptions load;

    @Option(names = "--db-url", required = true, description = "The authority's PostgreSQL database (JDBC URL).")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "postgres") String dbUser;

    @Option(names = "--state-entries", defaultValue = "1000000",
            description = "Live log entries seeded (default ${DEFAULT-VALUE}).")
    int stateEntries;

    @Option(names = "--snapshot-fraction", defaultValue = "0.1",
            description = "Subscribers that restart from nothing when the authority does (default ${DEFAULT-VALUE}).")
    double snapshotFraction;

    @Option(names = "--initial-snapshots", defaultValue = "1",
            description = "Subscribers that take a snapshot before the storm; the others start at the seeded end "
                    + "(default ${DEFAULT-VALUE}).")
    int initialSnapshots;

    @Option(names = "--restart-command", required = true,
            description = "Starts the authority again (same flags, same database) and prints its pid.")
    Path restartCommand;

    @Option(names = "--heap-sample-interval", defaultValue = "500ms", converter = LoopbackTarget.DurationConverter.class)
    Duration heapSampleInterval;

    @Option(names = "--timeout", defaultValue = "5m", converter = LoopbackTarget.DurationConverter.class,
            description = "Longest wait for the subscribers to catch up, before and after the restart "
                    + "(default ${DEFAULT-VALUE}).")
    Duration timeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReconnectStormBenchmark()).execute(args));
    }

    private boolean startsAnew(int i) {
        return Math.floor((i + 1) * snapshotFraction) > Math.floor(i * snapshotFraction);
    }

    @Override
    public Integer call() throws Exception {
        long[] head;
        double seedSeconds;
        try (Connection c = AdminTokenSeed.connect(dbUrl, dbUser)) {
            long seedStart = System.nanoTime();
            head = RevocationLogSeed.seed(c, stateEntries);
            seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        }
        System.err.printf(Locale.ROOT, "seeded %,d log entries in %.1f s; log ends at %d%n", stateEntries, seedSeconds,
                head[0]);
        try (SubscriberFleet fleet = load.fleet(null)) {
            List<FeedSubscriber> subscribers = fleet.subscribers();
            long connectStart = System.nanoTime();
            fleet.start(i -> i < initialSnapshots ? new long[] {0, 0} : head);
            long caughtUp = fleet.awaitAllFresh(connectStart, timeout);
            if (caughtUp < 0) {
                System.err.printf("before the storm, only %d of %d subscribers caught up within %s%n",
                        fleet.freshSince(connectStart), fleet.size(), timeout);
                return 3;
            }
            double initialSeconds = (caughtUp - connectStart) / 1e9;
            long initialSnapshotBytes = fleet.sum(FeedSubscriber::snapshotBytes);
            long initialSnapshotEntries = fleet.sum(FeedSubscriber::snapshotEntries);
            long[] snapshotsBefore = subscribers.stream().mapToLong(FeedSubscriber::snapshots).toArray();

            int anew = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                if (startsAnew(i)) {
                    subscribers.get(i).forgetPosition();
                    anew++;
                }
            }
            ProcessHandle old = ProcessHandle.of(load.authorityPid).orElseThrow();
            old.destroyForcibly(); // SIGKILL
            old.onExit().get(10, TimeUnit.SECONDS);
            long restartAt = System.nanoTime();
            long pid = restart();
            ProcessCpuTime cpu = new ProcessCpuTime(pid);
            awaitJvm(pid);
            ProcessMemorySampler.Sample peak;
            long allFresh;
            long cpuMicros;
            try (ProcessMemorySampler heap = ProcessMemorySampler.start(pid, heapSampleInterval)) {
                allFresh = fleet.awaitAllFresh(restartAt, timeout);
                cpuMicros = cpu.micros();
                peak = heap.samples().stream().max((a, b) -> Double.compare(a.heapUsedMib(), b.heapUsedMib()))
                        .orElse(null);
            }
            long firstFresh = subscribers.stream().mapToLong(FeedSubscriber::freshAtNanos).filter(t -> t >= restartAt)
                    .min().orElse(-1);
            long snapshots = 0;
            long anewWithout = 0;
            long resumedWith = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                long got = subscribers.get(i).snapshots() - snapshotsBefore[i];
                snapshots += got;
                if (startsAnew(i) && got == 0) {
                    anewWithout++;
                }
                if (!startsAnew(i) && got > 0) {
                    resumedWith++;
                }
            }
            long stormBytes = fleet.sum(FeedSubscriber::snapshotBytes) - initialSnapshotBytes;
            long stormEntries = fleet.sum(FeedSubscriber::snapshotEntries) - initialSnapshotEntries;
            long gaps = fleet.sum(FeedSubscriber::gaps);
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);

            System.out.printf(Locale.ROOT, "%s%n%n", load.title(String.format(Locale.ROOT,
                    "%d subscribers (one connection each, %d event-loop threads in one JVM, %s), %,d live log entries; "
                            + "SIGKILL and restart; %d (%.0f%%) restart from nothing; %d cores",
                    fleet.size(), load.threads, load.snapshotForm(), stateEntries, anew, 100 * snapshotFraction,
                    Runtime.getRuntime().availableProcessors())));
            System.out.printf(Locale.ROOT, "Before the storm: seed %.1f s; %d subscribers caught up in %.1f s "
                            + "(%d of them by snapshot: %s bytes per entry).%n", seedSeconds, fleet.size(),
                    initialSeconds, initialSnapshots, perEntry(initialSnapshotBytes, initialSnapshotEntries));
            System.out.println();
            System.out.println("| reconnect storm | value |");
            System.out.println("|---|---:|");
            System.out.printf(Locale.ROOT, "| restart launched -> all %d fresh again | %s |%n", fleet.size(),
                    allFresh < 0 ? "not within " + timeout.toSeconds() + " s (" + fleet.freshSince(restartAt) + " fresh)"
                            : String.format(Locale.ROOT, "%.1f s", (allFresh - restartAt) / 1e9));
            System.out.printf(Locale.ROOT, "| restart launched -> first subscriber fresh (authority up) | %s |%n",
                    firstFresh < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", (firstFresh - restartAt) / 1e9));
            System.out.printf(Locale.ROOT, "| authority peak used heap (-Xmx from the script), jstat every %d ms | %s |%n",
                    heapSampleInterval.toMillis(), peak == null ? "no sample" : String.format(Locale.ROOT,
                            "%.0f MiB (committed %.0f MiB, RSS %.0f MiB)", peak.heapUsedMib(), peak.heapCommittedMib(),
                            peak.rssMib()));
            System.out.printf(Locale.ROOT, "| authority CPU from its start until all fresh | %.1f s |%n", cpuMicros / 1e6);
            System.out.printf(Locale.ROOT, "| snapshots received after the restart | %d (%,d entries) |%n", snapshots,
                    stormEntries);
            System.out.printf(Locale.ROOT, "| bytes on the wire per snapshot entry | %s |%n",
                    perEntry(stormBytes, stormEntries));
            System.out.printf(Locale.ROOT, "| restarted from nothing but no snapshot / resumed but got a snapshot | %d / %d |%n",
                    anewWithout, resumedWith);
            System.out.printf(Locale.ROOT, "| continuity gaps; authority alive at the end | %d; %s |%n", gaps,
                    alive ? "yes" : "NO");
            return allFresh >= 0 && anewWithout == 0 && resumedWith == 0 && gaps == 0 && alive ? 0 : 3;
        }
    }

    private static String perEntry(long bytes, long entries) {
        return entries == 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / (double) entries);
    }

    /** Runs the restart command; its first line of output is the new authority's pid. */
    private long restart() throws Exception {
        Process p = new ProcessBuilder(restartCommand.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            if (line == null || p.waitFor() != 0) {
                throw new IllegalStateException("restart command " + restartCommand + " failed");
            }
            return Long.parseLong(line.strip());
        }
    }

    /** Waits until the JVM publishes its performance counters, which jstat reads. */
    private static void awaitJvm(long pid) throws InterruptedException {
        Path counters = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"),
                Long.toString(pid));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(counters) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
