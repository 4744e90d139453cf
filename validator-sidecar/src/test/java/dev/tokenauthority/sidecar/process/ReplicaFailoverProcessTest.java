package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TcpProxy;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three authority replicas on one PostgreSQL database and two sidecars, each given all three addresses (in different
 * orders, so that they end up on different replicas). The replica both sidecars are on is killed (SIGKILL); then the
 * replica one of them moved to is paused (SIGSTOP), which keeps its TCP connections open and answers nothing. Both
 * times the sidecars move on: by themselves, resuming from their position (one snapshot each, at start, and no
 * resync), a revocation made on a surviving replica reaches them within a bound, a live token stays valid
 * throughout, and no Validate sampled during the whole run answers valid for a token revoked longer than max
 * staleness before. A sidecar that was itself paused for longer than the bound stays on its replica.
 *
 * <p>A replica cut off from the database, whose heartbeats keep coming without advancing its read of the log, is left
 * the same way (the second test).
 *
 * <p>Proves G15 of docs/guarantees.md (with {@code FeedClientFailoverTest}).
 */
class ReplicaFailoverProcessTest {

    private static final Duration MAX_STALENESS = Duration.ofSeconds(8);
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(2);
    /** From a revocation's return to every sidecar denying it, across a failover: the failover bound, plus slack. */
    private static final Duration REVOCATION_BOUND = FAILOVER_AFTER.plusSeconds(6);
    private static final List<String> SIDECAR_FLAGS = List.of("--max-staleness", MAX_STALENESS.toSeconds() + "s",
            "--failover-after", FAILOVER_AFTER.toSeconds() + "s", "--stale-policy", "fail-closed");

    @TempDir
    Path dir;

    private TestDatabase database;
    private LoopbackCluster cluster;
    private final AtomicBoolean sampling = new AtomicBoolean(true);
    private Thread sampler;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.postgres();
        cluster = new LoopbackCluster(dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        sampling.set(false);
        if (sampler != null) {
            sampler.join(10_000);
        }
        try {
            cluster.close();
        } finally {
            database.close();
        }
    }

    /** One Validate answer: which sidecar, which token, when the call started (epoch ms), what it said. */
    private record Sample(String sidecar, String token, long startedAt, ValidateResponse answer) {
    }

    @Test
    void sidecarsLeaveAKilledReplicaAndAPausedOneResumingFromTheirPositionAndNeverAnswerFromStaleState()
            throws Exception {
        List<String> db = List.of("--db-url", database.url(), "--db-user", database.user());
        AuthorityNode a = cluster.startAuthority("replica-a", ChildProcess.freePort(), dir.resolve("data-a"),
                concat(List.of("--demo"), db));
        AuthorityNode b = cluster.startAuthority("replica-b", ChildProcess.freePort(), dir.resolve("data-b"), db);
        AuthorityNode c = cluster.startAuthority("replica-c", ChildProcess.freePort(), dir.resolve("data-c"), db);
        int metrics1 = ChildProcess.freePort();
        int metrics2 = ChildProcess.freePort();
        SidecarNode one = cluster.startSidecar("sidecar-1", List.of(a.port, b.port, c.port), a.sidecarSecretFile(),
                null, concat(SIDECAR_FLAGS, List.of("--metrics-port", Integer.toString(metrics1))));
        SidecarNode two = cluster.startSidecar("sidecar-2", List.of(a.port, c.port, b.port), a.sidecarSecretFile(),
                null, concat(SIDECAR_FLAGS, List.of("--metrics-port", Integer.toString(metrics2))));
        one.awaitServing();
        two.awaitServing();

        String admin = a.adminToken();
        TokenPair live = a.login(AuthorityFixture.ALICE);
        TokenPair before = a.login(AuthorityFixture.BOB);
        TokenPair first = a.login(AuthorityFixture.BOB);
        TokenPair second = a.login(AuthorityFixture.ALICE);
        Map<String, String> tokens = Map.of("live", live.getAccessToken(), "before", before.getAccessToken(),
                "first", first.getAccessToken(), "second", second.getAccessToken());
        Map<String, Long> revokedAt = new ConcurrentHashMap<>();
        // A position to resume from: an empty log has none (sequence 0 asks for a snapshot).
        a.revokeSession(admin, before.getSessionId());
        revokedAt.put("before", System.currentTimeMillis());
        awaitDeniedWithin(one, before, revokedAt.get("before"), "a revocation on a, at sidecar-1");
        awaitDeniedWithin(two, before, revokedAt.get("before"), "a revocation on a, at sidecar-2");
        List<Sample> samples = new CopyOnWriteArrayList<>();
        sampler = sampleContinuously(Map.of("sidecar-1", one, "sidecar-2", two), tokens, samples);
        assertThat(one.process.log()).contains("from 127.0.0.1:" + a.port).doesNotContain("leaving authority replica");
        assertThat(two.process.log()).contains("from 127.0.0.1:" + a.port).doesNotContain("leaving authority replica");

        // 1. The replica both follow dies: sidecar-1 moves to b, sidecar-2 to c; a revocation on b reaches both.
        a.process.kill();
        b.revokeSession(admin, first.getSessionId());
        revokedAt.put("first", System.currentTimeMillis());
        awaitDeniedWithin(one, first, revokedAt.get("first"), "the revocation on b after a died, at sidecar-1");
        awaitDeniedWithin(two, first, revokedAt.get("first"), "the revocation on b after a died, at sidecar-2");
        assertThat(one.process.log()).contains("leaving authority replica 127.0.0.1:" + a.port + " (stream_ended); "
                + "resuming on 127.0.0.1:" + b.port);
        assertThat(two.process.log()).contains("leaving authority replica 127.0.0.1:" + a.port + " (stream_ended); "
                + "resuming on 127.0.0.1:" + c.port);

        // 2. sidecar-1's replica freezes with its connections open: it must move on to c within the bound.
        b.process.pause();
        long pausedAt = System.currentTimeMillis();
        c.revokeSession(admin, second.getSessionId());
        revokedAt.put("second", System.currentTimeMillis());
        awaitDeniedWithin(one, second, pausedAt, "the revocation on c while b is frozen, at sidecar-1");
        awaitDeniedWithin(two, second, revokedAt.get("second"), "the revocation on c, at sidecar-2");
        assertThat(one.process.log()).contains("leaving authority replica 127.0.0.1:" + b.port
                + " (stopped_vouching); resuming on 127.0.0.1:" + c.port);

        // 3. A sidecar paused longer than the bound is not itself a reason to leave its replica, which did answer.
        two.process.pause();
        Thread.sleep(FAILOVER_AFTER.toMillis() * 2);
        two.process.resume();
        Thread.sleep(1_000); // a last stretch of samples after all that
        sampling.set(false);
        sampler.join(10_000);

        assertThat(samples).filteredOn(s -> s.token().equals("live")).as("samples of the live token").hasSizeGreaterThan(20)
                .allSatisfy(s -> assertThat(s.answer().getValid()).as("%s", s).isTrue());
        assertThat(samples).as("no valid answer for a token revoked more than max staleness before the call")
                .noneMatch(s -> s.answer().getValid() && revokedAt.containsKey(s.token())
                        && s.startedAt() > revokedAt.get(s.token()) + MAX_STALENESS.toMillis());
        for (int metricsPort : List.of(metrics1, metrics2)) {
            assertThat(scrape(metricsPort))
                    .as("one snapshot, at start: both failovers resumed from the position")
                    .contains("tokenauthority_sidecar_feed_snapshots_total 1.0")
                    .contains("tokenauthority_sidecar_feed_resyncs_total{cause=\"missed_event\"} 0.0")
                    .contains("tokenauthority_sidecar_feed_resyncs_total{cause=\"poison_message\"} 0.0")
                    .containsPattern("tokenauthority_sidecar_feed_failovers_total\\{cause=\"stream_ended\"} [1-9]");
        }
        assertThat(scrape(metrics1)).contains("tokenauthority_sidecar_feed_failovers_total{cause=\"stopped_vouching\"} 1.0");
        assertThat(scrape(metrics2)).contains("tokenauthority_sidecar_feed_failovers_total{cause=\"stopped_vouching\"} 0.0")
                .contains("tokenauthority_sidecar_feed_failovers_total{cause=\"stream_ended\"} 1.0");
        assertThat(one.process.logLinesContaining("applied a snapshot")).as(one.process.output()).isEqualTo(1);
        assertThat(two.process.logLinesContaining("applied a snapshot")).as(two.process.output()).isEqualTo(1);
    }

    /**
     * The replica a sidecar follows loses its database (a TCP proxy in between is cut) but keeps its stream and sends
     * heartbeats, each naming its last read of the log, which no longer advances. The sidecar leaves it within the
     * bound, before its state goes stale, and gets the revocation made meanwhile on the other replica.
     */
    @Test
    void aSidecarLeavesAReplicaWhoseHeartbeatsNoLongerAdvanceItsReadOfTheLogBeforeGoingStale() throws Exception {
        String[] server = TestDatabase.POSTGRES_HOST.split(":");
        try (TcpProxy proxy = new TcpProxy(new InetSocketAddress(server[0], Integer.parseInt(server[1])))) {
            String proxied = database.url().replace(TestDatabase.POSTGRES_HOST, "127.0.0.1:" + proxy.port());
            AuthorityNode a = cluster.startAuthority("replica-a", ChildProcess.freePort(), dir.resolve("data-a"),
                    List.of("--demo", "--db-url", database.url(), "--db-user", database.user()));
            AuthorityNode b = cluster.startAuthority("replica-b", ChildProcess.freePort(), dir.resolve("data-b"),
                    List.of("--db-url", proxied, "--db-user", database.user()));
            SidecarNode sidecar = cluster.startSidecar("sidecar", List.of(b.port, a.port), a.sidecarSecretFile(), null,
                    SIDECAR_FLAGS);
            sidecar.awaitServing();
            String admin = a.adminToken();
            TokenPair live = a.login(AuthorityFixture.ALICE);
            TokenPair revoked = a.login(AuthorityFixture.BOB);
            TokenPair before = a.login(AuthorityFixture.BOB);
            a.revokeSession(admin, before.getSessionId());
            // A position to resume from (an empty log has none), applied through b before it is cut off.
            sidecar.awaitDenial(before.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "a revocation before the cut");
            List<Sample> samples = new CopyOnWriteArrayList<>();
            sampler = sampleContinuously(Map.of("sidecar", sidecar), Map.of("live", live.getAccessToken()), samples);

            proxy.cut();
            long cutAt = System.currentTimeMillis();
            a.revokeSession(admin, revoked.getSessionId());
            awaitDeniedWithin(sidecar, revoked, cutAt, "the revocation on a while b cannot read the log");
            assertThat(sidecar.process.log()).contains("leaving authority replica 127.0.0.1:" + b.port
                    + " (stopped_vouching); resuming on 127.0.0.1:" + a.port);
            assertThat(b.process.isAlive()).as("b still runs, and still streams heartbeats").isTrue();

            Thread.sleep(1_000);
            sampling.set(false);
            sampler.join(10_000);
            assertThat(samples).as("the live token, sampled across the failover").hasSizeGreaterThan(20)
                    .allSatisfy(s -> assertThat(s.answer().getValid()).as("%s", s).isTrue());
            assertThat(sidecar.process.logLinesContaining("applied a snapshot")).as(sidecar.process.output())
                    .isEqualTo(1);
        }
    }

    /** Waits until {@code sidecar} denies {@code pair}'s session as revoked, failing if that took longer than the bound. */
    private static void awaitDeniedWithin(SidecarNode sidecar, TokenPair pair, long sinceMillis, String what) {
        sidecar.awaitDenial(pair.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, what);
        assertThat(System.currentTimeMillis() - sinceMillis).as("time for %s", what)
                .isLessThan(REVOCATION_BOUND.toMillis());
    }

    private Thread sampleContinuously(Map<String, SidecarNode> sidecars, Map<String, String> tokens,
            List<Sample> samples) {
        Thread thread = new Thread(() -> {
            while (sampling.get()) {
                sidecars.forEach((name, sidecar) -> tokens.forEach((label, token) -> {
                    long startedAt = System.currentTimeMillis();
                    samples.add(new Sample(name, label, startedAt, sidecar.validate(token)));
                }));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "validate-sampler");
        thread.start();
        return thread;
    }

    private static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
