package dev.tokenauthority.authority.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.crypto.PasswordHashPool;
import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.server.ReplicaRole;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A login flood against a real authority over netty on loopback, with the production password
 * hash cost: logins beyond what the hash pool takes are refused at once, while Refresh and an
 * admin revocation's way to a feed subscriber keep (within 3x) the latency they had without the
 * flood, measured in the same run; the heap stays bounded, and once the flood stops Login works
 * again by itself. Every bound is a ratio to this machine's own unloaded figures, measured for half
 * their time before the flood and half after it: on a machine shared with other work, a load that
 * came or went during the flood then weighs on both sides of the ratio, not on the flood alone.
 */
class LoginFloodTest {

    /** Measured before the flood, and again after it. */
    private static final Duration UNLOADED_HALF = Duration.ofSeconds(4);
    private static final Duration FLOOD = Duration.ofSeconds(20);
    /** How much more than the pool can hash per second the flood offers. */
    private static final int OVERLOAD_FACTOR = 10;
    /** Logins the flood leaves unanswered at most (a stalled server must not make the test eat its heap). */
    private static final int MAX_OUTSTANDING = 5_000;
    private static final String FLOOD_USER = "flood@example.com";
    private static final String FLOOD_PASSWORD = "flood-password-long-enough";

    private AuthorityFixture fx;
    private Database database;
    private Authority authority;
    private AuthorityServer server;
    private final PrometheusRegistry metrics = new PrometheusRegistry();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Map<Long, Long> eventArrivals = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        fx = new AuthorityFixture(TestDatabase.Kind.H2); // seeds the demo data; the authority under test shares it
        TestDatabase db = fx.database;
        database = Database.open(db.url(), db.user(), db.password(), 8);
        authority = new Authority(database, TokenPolicy.withIssuer(AuthorityFixture.ISSUER), fx.keks,
                new PasswordHasher(), PasswordHashPool.Limits.forThisMachine(),
                new LoginLimits(1_000_000, 1_000_000, Duration.ofMinutes(15)), metrics, fx.clock, ReplicaRole.PRIMARY);
        authority.start();
        server = new AuthorityServer(Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()), authority)
                .start();
        authority.transactor().useTransaction(tx -> authority.userAccounts().create(tx, FLOOD_USER, FLOOD_PASSWORD,
                List.of(), fx.clock.instant()));
    }

    @AfterEach
    void stop() throws Exception {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.stop(java.time.Duration.ofSeconds(1));
        authority.close();
        database.close();
        fx.close();
    }

    private ManagedChannel channel() {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                InsecureChannelCredentials.create()).build();
        channels.add(channel);
        return channel;
    }

    @Test
    void aLoginFloodIsRefusedAtOnceWhileRefreshAndRevocationKeepTheirLatency() throws Exception {
        AuthServiceGrpc.AuthServiceBlockingStub auth = AuthServiceGrpc.newBlockingStub(channel());
        AdminServiceGrpc.AdminServiceBlockingStub admin = AdminServiceGrpc.newBlockingStub(channel())
                .withInterceptors(AuthorityFixture.bearer(fx.loginAdmin().getAccessToken()));
        subscribe(channel());
        String refreshUserId = fx.user(AuthorityFixture.ALICE).id();
        Latencies unloadedLogins = new Latencies();
        for (int i = 0; i < 10; i++) {
            long begun = System.nanoTime();
            auth.login(floodLogin());
            unloadedLogins.add(System.nanoTime() - begun);
        }
        int threads = PasswordHashPool.Limits.forThisMachine().threads();
        double hashesPerSecond = threads * 1e9 / unloadedLogins.percentile(50);

        Probe unloaded = new Probe();
        probe(unloaded, auth, admin, refreshUserId, UNLOADED_HALF, () -> { });

        System.gc();
        Flood flood = new Flood(AuthServiceGrpc.newStub(channel()), hashesPerSecond * OVERLOAD_FACTOR);
        System.gc();
        long heapBefore = heapAfterLastGc();
        AtomicLong heapPeak = new AtomicLong();
        Probe loaded = new Probe();
        probe(loaded, auth, admin, refreshUserId, FLOOD,
                () -> heapPeak.accumulateAndGet(heapAfterLastGc(), Math::max));
        flood.stop();
        Eventually.until(Duration.ofSeconds(10), "the flood's last answers", () -> flood.outstanding.get() == 0);
        System.gc();
        long heapAfter = heapAfterLastGc();
        probe(unloaded, auth, admin, refreshUserId, UNLOADED_HALF, () -> { });

        String report = String.format("hash %.0f ms on %d threads; offered %.0f logins/s, answered %d (%d refused, "
                        + "refusal p90 %.1f ms, admitted p50 %.1f ms); refresh p99 %.1f -> %.1f ms (%d, %d samples); propagation p90 %.1f -> "
                        + "%.1f ms (%d, %d samples); live heap before %d MiB, peak %d MiB, after %d MiB",
                unloadedLogins.percentile(50) / 1e6, threads, flood.rate, flood.answered.get(), flood.refused.get(),
                flood.refusals.percentile(90) / 1e6, flood.admitted.percentile(50) / 1e6, unloaded.refreshes.percentile(99) / 1e6,
                loaded.refreshes.percentile(99) / 1e6, unloaded.refreshes.size(), loaded.refreshes.size(),
                unloaded.propagations.percentile(90) / 1e6, loaded.propagations.percentile(90) / 1e6,
                unloaded.propagations.size(), loaded.propagations.size(), heapBefore >> 20, heapPeak.get() >> 20,
                heapAfter >> 20);
        System.out.println("LoginFloodTest: " + report);

        assertThat(flood.offered.get()).as(report).isGreaterThanOrEqualTo(
                (long) (OVERLOAD_FACTOR * hashesPerSecond * FLOOD.toSeconds() * 0.8));
        assertThat(flood.refused.get()).as("most of the flood is refused: " + report)
                .isGreaterThan(flood.offered.get() / 2);
        assertThat(flood.unexpected).as("nothing but success or RESOURCE_EXHAUSTED").isEmpty();
        assertThat(flood.refusals.percentile(90)).as("refused sooner than an admitted login is answered: " + report)
                .isLessThan(flood.admitted.percentile(50));
        assertThat(loginsCounted("overloaded")).as("each refusal counted as overloaded")
                .isEqualTo(flood.refused.get());

        assertThat(loaded.refreshes.percentile(99)).as("Refresh p99 within 3x of unloaded: " + report)
                .isLessThanOrEqualTo(3 * unloaded.refreshes.percentile(99));
        assertThat(loaded.propagations.percentile(90)).as("revocation propagation within 3x of unloaded: " + report)
                .isLessThanOrEqualTo(3 * unloaded.propagations.percentile(90));

        // Each hash in progress holds 19 MiB, which a young collection may promote before it is garbage: allow
        // twice that for every admitted login and some. Unbounded, the flood's thousands of logins would not fit.
        PasswordHashPool.Limits limits = PasswordHashPool.Limits.forThisMachine();
        long bound = (limits.threads() + limits.queue()) * 2L * PasswordHasher.DEFAULT_MEMORY_KIB * 1024 + (128L << 20);
        assertThat(heapPeak.get() - heapBefore).as("live heap bounded during the flood: " + report)
                .isLessThan(bound);
        assertThat(heapAfter - heapBefore).as("nothing left behind after it: " + report).isLessThan(128L << 20);

        long begun = System.nanoTime();
        TokenPair after = auth.login(floodLogin());
        assertThat(after.getAccessToken()).as("Login works again by itself").isNotEmpty();
        assertThat(System.nanoTime() - begun).as("as fast as before the flood: " + report)
                .isLessThan(3 * unloadedLogins.percentile(50));
    }

    private static LoginRequest floodLogin() {
        return LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername(FLOOD_USER)
                .setPassword(FLOOD_PASSWORD).build();
    }

    /** Adds to {@code probe} the latencies of {@code duration}: ten refreshes, then one revocation, over again. */
    private void probe(Probe probe, AuthServiceGrpc.AuthServiceBlockingStub auth,
            AdminServiceGrpc.AdminServiceBlockingStub admin, String userId, Duration duration, Runnable sample) {
        String refreshToken = fx.issueTo(userId).getRefreshToken();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10; i++) {
                long begun = System.nanoTime();
                refreshToken = auth.refresh(RefreshRequest.newBuilder().setClientId(AuthorityFixture.BACKEND_CLIENT)
                        .setClientSecret(fx.backendSecret).setRefreshToken(refreshToken).build()).getRefreshToken();
                probe.refreshes.add(System.nanoTime() - begun);
            }
            String session = fx.issueTo(userId).getSessionId();
            long begun = System.nanoTime();
            long sequence = admin.revokeSession(RevokeSessionRequest.newBuilder().setSessionId(session).build())
                    .getFeedSequence();
            Eventually.until(Duration.ofSeconds(30), "revocation " + sequence + " on the feed",
                    () -> eventArrivals.containsKey(sequence));
            probe.propagations.add(eventArrivals.get(sequence) - begun);
            sample.run();
        }
    }

    /** A sidecar's subscription on its own connection, noting when each event arrives. */
    private void subscribe(ManagedChannel channel) {
        RevocationFeedServiceGrpc.newStub(channel).subscribe(SubscribeRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret).setSidecarId("flood-test")
                .build(), new StreamObserver<>() {
                    @Override
                    public void onNext(FeedMessage message) {
                        long now = System.nanoTime();
                        if (message.hasEvent()) {
                            eventArrivals.put(message.getEvent().getSequence(), now);
                        }
                        message.getEvents().getEventsList().forEach(e -> eventArrivals.put(e.getSequence(), now));
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    /** The heap in use right after the last collection, young or full: what was live then. */
    private static long heapAfterLastGc() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        GcInfo last = null;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
                GcInfo info = withInfo.getLastGcInfo();
                if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
                    last = info;
                }
            }
        }
        if (last == null) {
            return 0;
        }
        return last.getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    private long loginsCounted(String outcome) {
        for (MetricSnapshot snapshot : metrics.scrape()) {
            if (snapshot instanceof CounterSnapshot counter && counter.getMetadata().getName().equals(
                    "tokenauthority_logins")) {
                return counter.getDataPoints().stream().filter(p -> outcome.equals(p.getLabels().get("outcome")))
                        .mapToLong(p -> (long) p.getValue()).sum();
            }
        }
        throw new AssertionError("no tokenauthority_logins_total");
    }

    private static final class Probe {
        final Latencies refreshes = new Latencies();
        final Latencies propagations = new Latencies();
    }

    /** Nanosecond samples. */
    private static final class Latencies {
        private final ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();

        void add(long nanos) {
            samples.add(nanos);
        }

        int size() {
            return samples.size();
        }

        long percentile(int p) {
            List<Long> sorted = new ArrayList<>(samples);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    /** Logins at a fixed rate, open loop (a refused caller does not slow the next), answers tallied. */
    private static final class Flood {
        final double rate;
        final AtomicLong offered = new AtomicLong();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicLong refused = new AtomicLong();
        final AtomicInteger outstanding = new AtomicInteger();
        final Latencies refusals = new Latencies();
        final Latencies admitted = new Latencies();
        final ConcurrentLinkedQueue<Status> unexpected = new ConcurrentLinkedQueue<>();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

        Flood(AuthServiceGrpc.AuthServiceStub stub, double perSecond) {
            this.rate = perSecond;
            long begun = System.nanoTime();
            ticker.scheduleAtFixedRate(() -> {
                long due = (long) ((System.nanoTime() - begun) / 1e9 * perSecond);
                while (offered.get() < due && outstanding.get() < MAX_OUTSTANDING) {
                    offered.incrementAndGet();
                    outstanding.incrementAndGet();
                    long sent = System.nanoTime();
                    stub.login(floodLogin(), new StreamObserver<>() {
                        @Override
                        public void onNext(TokenPair value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            Status status = Status.fromThrowable(t);
                            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                                refusals.add(System.nanoTime() - sent);
                                refused.incrementAndGet();
                            } else {
                                unexpected.add(status);
                            }
                            done();
                        }

                        @Override
                        public void onCompleted() {
                            admitted.add(System.nanoTime() - sent);
                            done();
                        }
                    });
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
        }

        private void done() {
            answered.incrementAndGet();
            outstanding.decrementAndGet();
        }

        void stop() throws InterruptedException {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
