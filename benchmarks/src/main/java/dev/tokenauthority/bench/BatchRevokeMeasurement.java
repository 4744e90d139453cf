package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.ReportFormat.ms;
import static dev.tokenauthority.bench.ReportFormat.oneDecimal;

import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.BatchRevokeTokensResponse;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The BatchRevokeTokens step of {@link AdminApiBenchmark}: rounds of {@code revokeBatch} live
 * tokens by id (one per session), timed to the response and to the arrival of the feed event
 * carrying the response's feed_sequence on a Subscribe stream opened (and past its snapshot)
 * beforehand. Each round first times the baseline, a bare UPDATE of as many other live sessions'
 * rows to REVOKED in one transaction (what the database cannot do faster), and reports the ratio.
 */
final class BatchRevokeMeasurement {

    private final LoopbackTarget authority;
    private final Path secretFile;
    private final int revokeBatch;
    private final int revokeRounds;
    private final Supplier<AdminServiceBlockingStub> adminLogin;

    BatchRevokeMeasurement(LoopbackTarget authority, Path secretFile, int revokeBatch, int revokeRounds,
            Supplier<AdminServiceBlockingStub> adminLogin) {
        this.authority = authority;
        this.secretFile = secretFile;
        this.revokeBatch = revokeBatch;
        this.revokeRounds = revokeRounds;
        this.adminLogin = adminLogin;
    }

    void run(Connection db) throws Exception {
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
            System.out.println("| round | revoked | bare UPDATE of as many sessions ms | call ms | first feed event ms "
                    + "| feed_sequence event ms (end to end) | end to end / bare UPDATE |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int round = 0; round < revokeRounds; round++) {
                List<String> ids = AdminTokenSeed.activeTokenIds(db, revokeBatch, 0);
                List<String> baselineSessions = AdminTokenSeed.activeTokenSessionIds(db, revokeBatch, revokeBatch);
                if (ids.size() < revokeBatch || baselineSessions.size() < revokeBatch) {
                    System.out.println("| " + (round + 1) + " | only " + ids.size() + " live tokens left; stopped | | | | | |");
                    break;
                }
                double bare = ms(bareSessionUpdate(db, baselineSessions));
                AdminServiceBlockingStub admin = adminLogin.get();
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
                System.out.printf(Locale.ROOT, "| %d | %,d | %.0f | %.0f | %s | %s | %s |%n", round + 1,
                        response.getRevokedCount(), bare, ms(called),
                        firstAt == null ? "missing" : oneDecimal(ms(firstAt - t0)),
                        lastAt == null ? "not within 60 s" : oneDecimal(ms(lastAt - t0)),
                        lastAt == null ? "-" : String.format(Locale.ROOT, "%.2fx", ms(lastAt - t0) / bare));
            }
        } finally {
            feedChannel.shutdownNow();
        }
    }

    /** Nanoseconds to set {@code sessionIds} REVOKED in one statement and commit: the baseline. */
    private static long bareSessionUpdate(Connection db, List<String> sessionIds) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (var update = db.prepareStatement("""
                UPDATE sessions SET status = 'REVOKED', revoked_at = now(), revoked_by = 'benchmark baseline',
                       revoke_reason = 'bare UPDATE' WHERE id = ANY(?) AND status = 'ACTIVE'
                """)) {
            long t0 = System.nanoTime();
            update.setArray(1, db.createArrayOf("text", sessionIds.toArray()));
            update.executeUpdate();
            db.commit();
            return System.nanoTime() - t0;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }
}
