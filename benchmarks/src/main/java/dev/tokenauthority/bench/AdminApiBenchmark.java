package dev.tokenauthority.bench;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.BatchRevokeTokensResponse;
import dev.tokenauthority.api.v1.ExportChunk;
import dev.tokenauthority.api.v1.ExportFormat;
import dev.tokenauthority.api.v1.ExportTokensRequest;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListTokensResponse;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenStatus;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
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

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final int WARMUP_CALLS = 3;
    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(600);

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
                listings(db);
            }
            if (steps.contains("revoke")) {
                revocations(db);
            }
            if (steps.contains("export")) {
                export();
            }
            System.out.println("\nLoad average after: " + loadAverage());
        } finally {
            channel.shutdownNow();
        }
        return 0;
    }

    // ---- ListTokens -------------------------------------------------------------------------

    private record Listing(String name, ListTokensRequest request, TokenListingPlans.Filter filter, String sortExpression,
            boolean descending, boolean deep) {
    }

    private List<Listing> listingsAt(Instant now) {
        Timestamp monthAgo = Timestamp.newBuilder().setSeconds(now.minus(Duration.ofDays(30)).getEpochSecond()).build();
        ListTokensRequest oneUser = ListTokensRequest.newBuilder().setQuery("user0042")
                .addStatuses(TokenStatus.TOKEN_STATUS_ACTIVE).setOrderBy("expires_at desc").setPageSize(pageSize).build();
        ListTokensRequest allUsers = oneUser.toBuilder().setQuery("bench.example").build();
        ListTokensRequest client = ListTokensRequest.newBuilder().setClientId(AdminTokenSeed.clientId(3))
                .setIssuedAfter(monthAgo).setOrderBy("last_used_at asc").setPageSize(pageSize).build();
        ListTokensRequest everything = ListTokensRequest.newBuilder().setPageSize(pageSize).build();
        var oneUserFilter = new TokenListingPlans.Filter("user0042", true, null, null);
        var allUsersFilter = new TokenListingPlans.Filter("bench.example", true, null, null);
        var clientFilter = new TokenListingPlans.Filter(null, false, AdminTokenSeed.clientId(3),
                Instant.ofEpochSecond(monthAgo.getSeconds()));
        var noFilter = new TokenListingPlans.Filter(null, false, null, null);
        String lastUsed = TokenListingPlans.LAST_ACTIVITY;
        return List.of(
                new Listing("query 'user0042' (1 user) + ACTIVE, expires_at desc", oneUser, oneUserFilter, "t.expires_at", true, false),
                new Listing("query 'bench.example' (all users) + ACTIVE, expires_at desc", allUsers, allUsersFilter, "t.expires_at", true, false),
                new Listing("query 'bench.example' (all users) + ACTIVE, expires_at desc", allUsers, allUsersFilter, "t.expires_at", true, true),
                new Listing("client_id + issued in last 30 d, last_used_at asc", client, clientFilter, lastUsed, false, false),
                new Listing("client_id + issued in last 30 d, last_used_at asc", client, clientFilter, lastUsed, false, true),
                new Listing("no filter, default order (issued_at desc)", everything, noFilter, "t.issued_at", true, false));
    }

    private void listings(Connection db) throws Exception {
        AdminServiceBlockingStub admin = admin();
        System.out.printf(Locale.ROOT, "%n### ListTokens (page_size %d; sequential calls; deep page = page %d)%n%n",
                pageSize, deepPages + 1);
        System.out.println("| listing | page | calls | rows | total_size | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        List<String[]> planRows = new ArrayList<>();
        StringBuilder plans = new StringBuilder();
        for (Listing listing : listingsAt(Instant.now())) {
            ListTokensRequest request = listing.request();
            ListTokensResponse last = null;
            if (listing.deep()) {
                for (int i = 0; i < deepPages; i++) {
                    last = admin.withDeadlineAfter(120, TimeUnit.SECONDS).listTokens(request);
                    request = request.toBuilder().setPageToken(last.getNextPageToken()).build();
                }
            }
            Histogram h = new Histogram(MAX_TRACKED_NANOS, 3);
            long deadline = System.nanoTime() + cellBudget.toNanos();
            ListTokensResponse response = null;
            for (int i = 0; i < WARMUP_CALLS + calls && System.nanoTime() < deadline; i++) {
                long t0 = System.nanoTime();
                response = admin.withDeadlineAfter(120, TimeUnit.SECONDS).listTokens(request);
                long elapsed = System.nanoTime() - t0;
                if (i >= WARMUP_CALLS) {
                    h.recordValue(Math.min(elapsed, MAX_TRACKED_NANOS));
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %,d | %.1f | %.1f | %.1f |%n", listing.name(),
                    listing.deep() ? "deep" : "first", h.getTotalCount(), response.getTokensCount(), response.getTotalSize(),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
            Instant now = Instant.now();
            TokenListingPlans.Sort sort = new TokenListingPlans.Sort(listing.sortExpression(), listing.descending(),
                    null, null);
            if (listing.deep() && last != null && last.getTokensCount() > 0) {
                var t = last.getTokens(last.getTokensCount() - 1);
                Timestamp sortValue = switch (listing.sortExpression()) {
                    case "t.expires_at" -> t.getExpiresAt();
                    case "t.issued_at" -> t.getIssuedAt();
                    default -> t.hasLastUsedAt() ? t.getLastUsedAt() : t.getIssuedAt();
                };
                sort = new TokenListingPlans.Sort(listing.sortExpression(), listing.descending(),
                        Instant.ofEpochSecond(sortValue.getSeconds(), sortValue.getNanos()), t.getTokenId());
            }
            var page = TokenListingPlans.page(db, listing.filter(), sort, pageSize, now);
            // Only first pages count (total_size); a deep page runs the page query alone.
            var count = listing.deep() ? null : TokenListingPlans.count(db, listing.filter(), now);
            planRows.add(new String[] {listing.name(), listing.deep() ? "deep" : "first",
                fmt(page.executionMs()), page.firstNode(), count == null ? "-" : fmt(count.executionMs()),
                count == null ? "-" : count.firstNode()});
            plans.append("## ").append(listing.name()).append(listing.deep() ? " (deep page)" : " (first page)")
                    .append("\n\n").append(page.sql()).append("\n\n").append(String.join("\n", page.lines()))
                    .append("\n\n");
            if (count != null) {
                plans.append(count.sql()).append("\n\n").append(String.join("\n", count.lines())).append("\n\n");
            }
        }
        System.out.println("\nEXPLAIN ANALYZE of the same statements (server-side execution time only):\n");
        System.out.println("| listing | page | page query ms | page plan top | COUNT(*) ms | count plan top |");
        System.out.println("|---|---|---:|---|---:|---|");
        for (String[] r : planRows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        if (plansOut != null) {
            Files.writeString(plansOut, plans.toString());
        }
    }

    // ---- BatchRevokeTokens + feed -------------------------------------------------------------

    private void revocations(Connection db) throws Exception {
        String secret = Files.readString(secretFile).strip();
        ConcurrentHashMap<Long, Long> arrivals = new ConcurrentHashMap<>();
        CountDownLatch live = new CountDownLatch(1);
        ManagedChannel feedChannel = NettyChannelBuilder.forAddress(authority.host(), authority.port()).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        try {
            RevocationFeedServiceGrpc.newStub(feedChannel).subscribe(SubscribeRequest.newBuilder()
                    .setClientId("demo-sidecar").setClientSecret(secret).setSidecarId("admin-api-benchmark").build(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(FeedMessage m) {
                            FeedArrivals.record(m, arrivals);
                            if (m.hasSnapshotEnd() || m.hasHeartbeat()) {
                                live.countDown();
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            if (!feedChannel.isShutdown()) {
                                System.err.println("feed subscription failed: " + t);
                            }
                        }

                        @Override
                        public void onCompleted() { }
                    });
            if (!live.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("feed subscription got no snapshot end or heartbeat within 30 s");
            }
            System.out.printf(Locale.ROOT, "%n### BatchRevokeTokens of %,d ids (ACTIVE tokens, one per session)%n%n",
                    revokeBatch);
            System.out.println("| round | revoked | call ms | first feed event ms | feed_sequence event ms (end to end) |");
            System.out.println("|---:|---:|---:|---:|---:|");
            for (int round = 0; round < revokeRounds; round++) {
                List<String> ids = AdminTokenSeed.activeTokenIds(db, revokeBatch, 0);
                if (ids.size() < revokeBatch) {
                    System.out.println("| " + (round + 1) + " | only " + ids.size() + " live tokens left; stopped | | | |");
                    break;
                }
                AdminServiceBlockingStub admin = admin();
                long t0 = System.nanoTime();
                BatchRevokeTokensResponse response = admin.withDeadlineAfter(300, TimeUnit.SECONDS)
                        .batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addAllTokenIds(ids)
                                .setReason("admin API benchmark").build());
                long called = System.nanoTime() - t0;
                long last = response.getFeedSequence();
                long first = last - response.getRevokedCount() + 1;
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!arrivals.containsKey(last) && System.nanoTime() < waitUntil) {
                    Thread.sleep(1);
                }
                Long firstAt = arrivals.get(first);
                Long lastAt = arrivals.get(last);
                System.out.printf(Locale.ROOT, "| %d | %,d | %.0f | %s | %s |%n", round + 1, response.getRevokedCount(),
                        ms(called), firstAt == null ? "missing" : fmt(ms(firstAt - t0)),
                        lastAt == null ? "not within 60 s" : fmt(ms(lastAt - t0)));
            }
        } finally {
            feedChannel.shutdownNow();
        }
    }

    // ---- ExportTokens -------------------------------------------------------------------------

    private void export() throws Exception {
        AdminServiceBlockingStub admin = admin();
        long bytes = 0;
        long newlines = 0;
        long firstChunkNanos = -1;
        long chunks = 0;
        double startedAt;
        double endedAt;
        long t0;
        long elapsed;
        try (ProcessMemorySampler sampler = ProcessMemorySampler.start(authorityPid)) {
            Thread.sleep(3000);
            startedAt = sampler.now();
            t0 = System.nanoTime();
            Iterator<ExportChunk> stream = admin.withDeadlineAfter(600, TimeUnit.SECONDS).exportTokens(
                    ExportTokensRequest.newBuilder().setFormat(ExportFormat.EXPORT_FORMAT_CSV).build());
            while (stream.hasNext()) {
                var data = stream.next().getData();
                if (firstChunkNanos < 0) {
                    firstChunkNanos = System.nanoTime() - t0;
                }
                chunks++;
                bytes += data.size();
                for (int i = 0; i < data.size(); i++) {
                    if (data.byteAt(i) == '\n') {
                        newlines++;
                    }
                }
            }
            elapsed = System.nanoTime() - t0;
            endedAt = sampler.now();
            Thread.sleep(3000);
            printExport(sampler.samples(), startedAt, endedAt);
        }
        System.out.printf(Locale.ROOT, "%nExport: %,d rows (+ header), %,d bytes in %,d chunks; first chunk after %.0f ms; "
                + "total %.1f s (%.1f MB/s, %,.0f rows/s)%n", newlines - 1, bytes, chunks, ms(firstChunkNanos),
                elapsed / 1e9, bytes / 1e6 / (elapsed / 1e9), (newlines - 1) / (elapsed / 1e9));
    }

    private static void printExport(List<ProcessMemorySampler.Sample> samples, double startedAt, double endedAt) {
        System.out.println("\n### ExportTokens of everything as CSV: the authority's memory, one sample a second\n");
        System.out.println("| t s | phase | RSS MiB | heap used MiB | heap committed MiB | young GCs | full GCs |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|");
        int every = Math.max(1, samples.size() / 25);
        double maxRss = 0;
        double maxHeap = 0;
        double minRssDuring = Double.MAX_VALUE;
        for (int i = 0; i < samples.size(); i++) {
            var s = samples.get(i);
            String phase = s.atSeconds() < startedAt ? "before" : s.atSeconds() <= endedAt ? "export" : "after";
            if (phase.equals("export")) {
                maxRss = Math.max(maxRss, s.rssMib());
                minRssDuring = Math.min(minRssDuring, s.rssMib());
                maxHeap = Math.max(maxHeap, s.heapUsedMib());
            }
            if (i % every == 0 || i == samples.size() - 1) {
                System.out.printf(Locale.ROOT, "| %.0f | %s | %.0f | %.0f | %.0f | %d | %d |%n", s.atSeconds(), phase,
                        s.rssMib(), s.heapUsedMib(), s.heapCommittedMib(), s.youngGcs(), s.fullGcs());
            }
        }
        if (maxRss == 0) {
            System.out.println("\nThe export ended between two samples.");
            return;
        }
        System.out.printf(Locale.ROOT, "%nDuring the export: RSS %.0f..%.0f MiB, heap used at most %.0f MiB (%d samples).%n",
                minRssDuring, maxRss, maxHeap, samples.size());
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A fresh admin login per phase, so no phase outlives the access token. */
    private AdminServiceBlockingStub admin() {
        String token = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setClientId("admin-cli").setUsername(adminUser)
                        .setPassword(adminPassword).build()).getAccessToken();
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return AdminServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
