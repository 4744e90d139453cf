package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The admin API at a million refresh tokens on PostgreSQL, against the targets: a
 * filtered, sorted ListTokens page p50 under 50 ms; BatchRevokeTokens of 10,000 tokens under 2 s
 * end to end including the feed; ExportTokens of 1M tokens in under 30 s with flat memory.
 *
 * <p>Assumes an authority started with {@code --demo} on a fresh PostgreSQL database (loopback
 * only). Steps, each bounded in count and time:
 * <ol>
 * <li>Seed by SQL ({@link AdminTokenSeed}): users, sessions, refresh tokens, then VACUUM ANALYZE.
 * <li>ListTokens, sequential calls, one cell per listing and page: up to {@code --calls} calls or
 *     {@code --cell-budget}, whichever ends first, after 3 unrecorded ones. A deep page is the page
 *     after {@code --deep-pages} pages walked with next_page_token. Each call runs the page query
 *     and, on first pages, the capped COUNT(*) behind total_size; both are then EXPLAIN ANALYZEd
 *     ({@link TokenListingPlans}).
 * <li>BatchRevokeTokens by ids, {@code --revoke-rounds} rounds of {@code --revoke} live tokens (one
 *     per session): time to the response, and to the arrival of the feed event carrying the
 *     response's feed_sequence on a Subscribe stream opened (and past its snapshot) beforehand.
 * <li>ExportTokens of everything as CSV, read as fast as the client can: total time, bytes and rows,
 *     and the authority's RSS and heap once a second ({@link ProcessMemorySampler}).
 * </ol>
 * Prints markdown tables to stdout; EXPLAIN plans go to {@code --plans-out}.
 *
 * <p>Run (processes started by {@code benchmarks/run-admin-benchmark.sh}):
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.AdminApiBenchmark \
 *     --authority 127.0.0.1:17371 --authority-pid 1234 --secret-file DATA/demo-sidecar.secret \
 *     --db-url jdbc:postgresql://127.0.0.1:5432/DB --db-user postgres
 * </pre>
 */
@Command(name = "admin-api-benchmark", mixinStandardHelpOptions = true,
        description = "ListTokens, BatchRevokeTokens and ExportTokens at 1M tokens on PostgreSQL (loopback only).")
public final class AdminApiBenchmark implements Callable<Integer> {

    @Option(names = "--authority", required = true, converter = LoopbackTarget.Converter.class) LoopbackTarget authority;
    @Option(names = "--authority-pid", required = true, description = "For RSS and heap samples during the export.")
    long authorityPid;
    @Option(names = "--secret-file", required = true, description = "demo-sidecar's secret (feed subscription).")
    Path secretFile;
    @Option(names = "--db-url", required = true, description = "The authority's database (seeded directly).")
    String dbUrl;
    @Option(names = "--db-user", defaultValue = "postgres") String dbUser;
    @Option(names = "--users", defaultValue = "1000") int users;
    @Option(names = "--sessions", defaultValue = "100000") int sessions;
    @Option(names = "--tokens-per-session", defaultValue = "10") int tokensPerSession;
    @Option(names = "--page-size", defaultValue = "50") int pageSize;
    @Option(names = "--calls", defaultValue = "200", description = "Recorded calls per listing cell at most.") int calls;
    @Option(names = "--cell-budget", defaultValue = "40s", converter = LoopbackTarget.DurationConverter.class,
            description = "Longest measured time per listing cell.") Duration cellBudget;
    @Option(names = "--deep-pages", defaultValue = "20") int deepPages;
    @Option(names = "--revoke", defaultValue = "10000") int revokeBatch;
    @Option(names = "--revoke-rounds", defaultValue = "3") int revokeRounds;
    @Option(names = "--skip-seed", description = "The database is already seeded.") boolean skipSeed;
    @Option(names = "--seed-only", description = "Seed and stop (to reproduce the plans on a copy of the schema).")
    boolean seedOnly;
    @Option(names = "--steps", split = ",", defaultValue = "list,revoke,export",
            description = "Which measurements to run, in this order: list, revoke, export.") Set<String> steps;
    @Option(names = "--plans-out", description = "Write the EXPLAIN ANALYZE plans here.") Path plansOut;
    @Option(names = "--admin-user", defaultValue = "admin@example.com") String adminUser;
    @Option(names = "--admin-password", defaultValue = "demo-admin-password") String adminPassword;

    private ManagedChannel channel;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AdminApiBenchmark()).execute(args));
    }
    @Override
    public Integer call() throws Exception {
        if (!dbUrl.startsWith("jdbc:postgresql://127.0.0.1:") && !dbUrl.startsWith("jdbc:postgresql://localhost:")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--db-url must be a loopback PostgreSQL");
        }
        if (sessions > 1_000_000 || tokensPerSession > 50 || calls > 10_000 || revokeBatch > 100_000 || revokeRounds > 10) {
            throw new CommandLine.ParameterException(new CommandLine(this), "sizes out of the benchmark's bounds");
        }
        if (!Set.of("list", "revoke", "export").containsAll(steps)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--steps takes list, revoke and export");
        }
        channel = NettyChannelBuilder.forAddress(authority.host(), authority.port()).usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024).build();
        try (Connection db = AdminTokenSeed.connect(dbUrl, dbUser)) {
            if (!skipSeed) {
                double seconds = AdminTokenSeed.seed(db, users, sessions, tokensPerSession);
                System.out.printf(Locale.ROOT, "Seeded in %.1f s: %s%n%n", seconds, AdminTokenSeed.describe(db));
                if (seedOnly) {
                    return 0;
                }
            } else {
                System.out.printf(Locale.ROOT, "Seed: %s%n%n", AdminTokenSeed.describe(db));
            }
            System.out.println("Load average before measuring: " + loadAverage());
            if (steps.contains("list")) {
                new ListTokensMeasurement(this::admin, pageSize, calls, cellBudget, deepPages, plansOut).run(db);
            }
            if (steps.contains("revoke")) {
                new BatchRevokeMeasurement(authority, secretFile, revokeBatch, revokeRounds, this::admin).run(db);
            }
            if (steps.contains("export")) {
                new ExportTokensMeasurement(this::admin, authorityPid).run();
            }
            System.out.println("\nLoad average after: " + loadAverage());
        } finally {
            channel.shutdownNow();
        }
        return 0;
    }

    /** A fresh admin login per phase, so no phase outlives the access token. */
    private AdminServiceBlockingStub admin() {
        return AdminLogin.adminStub(channel, adminUser, adminPassword);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
