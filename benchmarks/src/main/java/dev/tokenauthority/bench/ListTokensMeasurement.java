package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.ReportFormat.ms;
import static dev.tokenauthority.bench.ReportFormat.oneDecimal;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListTokensResponse;
import dev.tokenauthority.api.v1.TokenStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The ListTokens step of {@link AdminApiBenchmark}: sequential calls, one cell per listing and
 * page, up to {@code calls} recorded calls or {@code cellBudget}, whichever ends first, after
 * {@value #WARMUP_CALLS} unrecorded ones; then the same statements EXPLAIN ANALYZEd
 * ({@link TokenListingPlans}).
 */
final class ListTokensMeasurement {

    private static final int WARMUP_CALLS = 3;
    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(600);

    private final Supplier<AdminServiceBlockingStub> adminLogin;
    private final int pageSize;
    private final int calls;
    private final Duration cellBudget;
    private final int deepPages;
    private final Path plansOut;

    /** {@code plansOut} may be null (plans not written). */
    ListTokensMeasurement(Supplier<AdminServiceBlockingStub> adminLogin, int pageSize, int calls, Duration cellBudget,
            int deepPages, Path plansOut) {
        this.adminLogin = adminLogin;
        this.pageSize = pageSize;
        this.calls = calls;
        this.cellBudget = cellBudget;
        this.deepPages = deepPages;
        this.plansOut = plansOut;
    }

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

    void run(Connection db) throws Exception {
        AdminServiceBlockingStub admin = adminLogin.get();
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
                oneDecimal(page.executionMs()), page.firstNode(), count == null ? "-" : oneDecimal(count.executionMs()),
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
}
