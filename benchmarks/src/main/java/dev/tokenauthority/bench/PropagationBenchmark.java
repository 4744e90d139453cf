package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc.ValidatorServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Revocation propagation: how long after an admin's {@code AdminService/RevokeToken} returns
 * until every sidecar answers {@code Validate} with {@code valid=false} for that token.
 *
 * <p>Set-up (not measured): the admin logs in (client {@code demo-app}); {@code --sessions}
 * password logins (alice and bob alternating; each costs an Argon2id hash, so there are few of
 * them), then each session's refresh token is rotated repeatedly: every {@code Refresh} returns a
 * new access token with a new {@code jti}, so N distinct revocable tokens cost N cheap refreshes
 * instead of N logins. The jti is read from the JWT payload.
 *
 * <p>Each round, sequentially: Validate the next token on every sidecar and require
 * {@code valid=true} (so it is a cached, verified token, as in production); call RevokeToken on
 * its jti; at the moment the call returns (t0) one poller per sidecar starts calling Validate
 * every {@code --poll-interval} until the answer is {@code valid=false}; that sidecar's latency
 * is the time from t0 to the return of its first denying answer (so it includes up to one poll
 * interval plus one Validate round trip of measurement slack). The round's latency is the
 * slowest sidecar's. A sidecar not denying within {@code --round-timeout} counts as a timeout.
 * The first {@code --warmup-revocations} rounds are not recorded.
 *
 * <p>Sidecars given with {@code --remote-sidecars} follow another authority replica than the one
 * revocations are sent to; their latencies are also reported separately (cross-replica path:
 * PostgreSQL NOTIFY, then the other replica's feed).
 *
 * <p>Run (processes started by {@code benchmarks/run-sidecar-benchmarks.sh}):
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.PropagationBenchmark \
 *     --authority 127.0.0.1:17271 --sidecars 127.0.0.1:17281,...,127.0.0.1:17288 \
 *     --revocations 1000 --sessions 50
 * </pre>
 */
@Command(name = "propagation-benchmark", mixinStandardHelpOptions = true,
        description = "Revocation propagation latency from RevokeToken to valid=false on every sidecar (loopback only).")
public final class PropagationBenchmark implements Callable<Integer> {

    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern JTI = Pattern.compile("\"jti\"\\s*:\\s*\"([^\"]+)\"");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** Upper bounds (ms) of the histogram buckets printed for the round latency. */
    private static final long[] BUCKETS_MS = {2, 5, 10, 20, 50, 100, 150, 250, 500};

    @Option(names = "--authority", required = true, converter = LoopbackTarget.Converter.class,
            description = "Authority that issues the tokens and receives the revocations.")
    LoopbackTarget authority;

    @Option(names = "--sidecars", split = ",", required = true, converter = LoopbackTarget.Converter.class,
            description = "Sidecars following --authority (TCP host:port).")
    List<LoopbackTarget> localSidecars;

    @Option(names = "--remote-sidecars", split = ",", converter = LoopbackTarget.Converter.class,
            description = "Sidecars following another replica on the same database.")
    List<LoopbackTarget> remoteSidecars = new ArrayList<>();

    @Option(names = "--revocations", defaultValue = "1000", description = "Measured revocations (default ${DEFAULT-VALUE}).")
    int revocations;

    @Option(names = "--warmup-revocations", defaultValue = "200", description = "Unrecorded first rounds (default ${DEFAULT-VALUE}).")
    int warmupRevocations;

    @Option(names = "--sessions", defaultValue = "50", description = "Password logins; tokens come from refreshing them (default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--poll-interval", defaultValue = "1ms", converter = LoopbackTarget.DurationConverter.class,
            description = "Pause between one sidecar's polls; 0 spins (default ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(names = "--round-timeout", defaultValue = "5s", converter = LoopbackTarget.DurationConverter.class,
            description = "Longest wait for every sidecar to deny (default ${DEFAULT-VALUE}).")
    Duration roundTimeout;

    @Option(names = "--app-client", defaultValue = "demo-app") String appClient;
    @Option(names = "--users", split = ",", defaultValue = "alice@example.com,bob@example.com") List<String> users;
    @Option(names = "--password", defaultValue = "demo-password") String password;
    @Option(names = "--admin-user", defaultValue = "admin@example.com") String adminUser;
    @Option(names = "--admin-password", defaultValue = "demo-admin-password") String adminPassword;
    @Option(names = "--label", description = "Free text printed above the table.") String label;

    @Option(names = "--feed-probes", split = ",", converter = LoopbackTarget.Converter.class,
            description = "Authorities to also Subscribe to from this process, timing when each event arrives "
                    + "(splits the latency into authority side and sidecar side).")
    List<LoopbackTarget> feedProbeTargets = new ArrayList<>();

    @Option(names = "--probe-secret-file", description = "demo-sidecar's secret, for --feed-probes.")
    java.nio.file.Path probeSecretFile;
    @Option(names = "--raw", description = "Also write one CSV line per measured round here: feed sequence, "
            + "RevokeToken call us, each feed probe's us, then each sidecar's us (local ones first).")
    java.nio.file.Path raw;

    private record Token(String accessToken, String jti) {}

    private record Sidecar(LoopbackTarget target, boolean remote, ManagedChannel channel,
            ValidatorServiceBlockingStub stub) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new PropagationBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (revocations < 1 || revocations > 100_000 || sessions < 1 || sessions > 1000) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--revocations must be within 1..100000 and --sessions within 1..1000");
        }
        ManagedChannel authorityChannel = NettyChannelBuilder.forAddress(authority.host(), authority.port())
                .usePlaintext().build();
        List<Sidecar> sidecars = new ArrayList<>();
        for (LoopbackTarget t : localSidecars) {
            sidecars.add(sidecar(t, false));
        }
        for (LoopbackTarget t : remoteSidecars) {
            sidecars.add(sidecar(t, true));
        }
        ExecutorService pollers = Executors.newFixedThreadPool(sidecars.size(), r -> {
            Thread t = new Thread(r, "poller");
            t.setDaemon(true);
            return t;
        });
        try {
            return run(authorityChannel, sidecars, pollers);
        } finally {
            pollers.shutdownNow();
            authorityChannel.shutdownNow();
            sidecars.forEach(s -> s.channel().shutdownNow());
        }
    }

    private Sidecar sidecar(LoopbackTarget t, boolean remote) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(t.host(), t.port()).usePlaintext().build();
        return new Sidecar(t, remote, channel, ValidatorServiceGrpc.newBlockingStub(channel));
    }

    private int run(ManagedChannel authorityChannel, List<Sidecar> sidecars, ExecutorService pollers) throws Exception {
        for (Sidecar s : sidecars) {
            awaitServing(s);
        }
        List<FeedProbe> probes = new ArrayList<>();
        for (LoopbackTarget t : feedProbeTargets) {
            probes.add(FeedProbe.start(t, java.nio.file.Files.readString(probeSecretFile).strip()));
        }
        try {
            return measure(authorityChannel, sidecars, pollers, probes);
        } finally {
            probes.forEach(FeedProbe::close);
        }
    }

    private int measure(ManagedChannel authorityChannel, List<Sidecar> sidecars, ExecutorService pollers,
            List<FeedProbe> probes) throws Exception {
        var auth = AuthServiceGrpc.newBlockingStub(authorityChannel);
        String adminToken = auth.withDeadlineAfter(30, TimeUnit.SECONDS).login(LoginRequest.newBuilder()
                .setClientId("admin-cli").setUsername(adminUser).setPassword(adminPassword).build()).getAccessToken();
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + adminToken);
        var admin = AdminServiceGrpc.newBlockingStub(authorityChannel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

        long setupStart = System.nanoTime();
        List<Token> tokens = mintTokens(auth, warmupRevocations + revocations);
        System.err.printf("minted %d tokens from %d logins in %.1f s%n", tokens.size(), sessions,
                (System.nanoTime() - setupStart) / 1e9);

        Histogram round = new Histogram(MAX_TRACKED_NANOS, 3);
        Histogram local = new Histogram(MAX_TRACKED_NANOS, 3);
        Histogram remote = new Histogram(MAX_TRACKED_NANOS, 3);
        Histogram adminCall = new Histogram(MAX_TRACKED_NANOS, 3);
        Histogram endToEnd = new Histogram(MAX_TRACKED_NANOS, 3);
        long[] buckets = new long[BUCKETS_MS.length + 1];
        Map<DenialReason, Long> reasons = new EnumMap<>(DenialReason.class);
        long timeouts = 0;
        List<List<Long>> probeDelays = new ArrayList<>();
        probes.forEach(p -> probeDelays.add(new ArrayList<>()));
        StringBuilder csv = new StringBuilder();
        long runStart = System.nanoTime();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            ValidateRequest request = ValidateRequest.newBuilder().setToken(token.accessToken()).build();
            for (Sidecar s : sidecars) {
                ValidateResponse r = s.stub().withDeadlineAfter(5, TimeUnit.SECONDS).validate(request);
                if (!r.getValid()) {
                    throw new IllegalStateException("token " + token.jti() + " not valid at " + s.target()
                            + " before its revocation: " + r.getReason());
                }
            }
            long sent = System.nanoTime();
            RevocationResult result = admin.withDeadlineAfter(10, TimeUnit.SECONDS).revokeToken(
                    RevokeTokenRequest.newBuilder().setTokenId(token.jti()).setReason("propagation benchmark").build());
            long t0 = System.nanoTime();
            if (result.getFeedSequence() == 0) {
                throw new IllegalStateException("RevokeToken of " + token.jti() + " revoked nothing");
            }
            List<Future<long[]>> polls = new ArrayList<>(sidecars.size());
            for (Sidecar s : sidecars) {
                polls.add(pollers.submit(() -> pollUntilDenied(s, request, t0)));
            }
            long slowest = 0;
            boolean recorded = i >= warmupRevocations;
            for (int k = 0; k < sidecars.size(); k++) {
                long[] outcome = polls.get(k).get(roundTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                long nanos = outcome[0];
                if (nanos < 0) {
                    timeouts += recorded ? 1 : 0;
                    nanos = roundTimeout.toNanos();
                } else if (recorded) {
                    reasons.merge(DenialReason.forNumber((int) outcome[1]), 1L, Long::sum);
                }
                slowest = Math.max(slowest, nanos);
                if (recorded) {
                    (sidecars.get(k).remote() ? remote : local).recordValue(Math.min(nanos, MAX_TRACKED_NANOS));
                }
            }
            if (recorded) {
                for (int k = 0; k < probes.size(); k++) {
                    Long arrived = probes.get(k).arrivals().remove(result.getFeedSequence());
                    probeDelays.get(k).add(arrived == null ? Long.MAX_VALUE : arrived - t0);
                }
            } else {
                probes.forEach(p -> p.arrivals().remove(result.getFeedSequence()));
            }
            if (recorded && raw != null) {
                csv.append(result.getFeedSequence()).append(',').append((t0 - sent) / 1000);
                for (List<Long> delays : probeDelays) {
                    long d = delays.get(delays.size() - 1);
                    csv.append(',').append(d == Long.MAX_VALUE ? "" : String.valueOf(d / 1000));
                }
                for (Future<long[]> poll : polls) {
                    csv.append(',').append(poll.get()[0] / 1000);
                }
                csv.append('\n');
            }
            if (recorded) {
                round.recordValue(Math.min(slowest, MAX_TRACKED_NANOS));
                adminCall.recordValue(Math.min(t0 - sent, MAX_TRACKED_NANOS));
                endToEnd.recordValue(Math.min(t0 - sent + slowest, MAX_TRACKED_NANOS));
                buckets[bucketOf(slowest)]++;
            }
        }
        double seconds = (System.nanoTime() - runStart) / 1e9;
        if (raw != null) {
            java.nio.file.Files.writeString(raw, csv);
        }
        print(sidecars, round, local, remote, adminCall, endToEnd, buckets, reasons, timeouts, seconds);
        for (int k = 0; k < probes.size(); k++) {
            printProbe(probes.get(k).target(), probeDelays.get(k));
        }
        return timeouts == 0 ? 0 : 3;
    }

    /** Polls one sidecar until it denies the token; returns {nanos since t0, reason} or {-1, 0} on timeout. */
    private long[] pollUntilDenied(Sidecar s, ValidateRequest request, long t0) {
        long deadline = t0 + roundTimeout.toNanos();
        long pause = pollInterval.toNanos();
        while (true) {
            ValidateResponse r = s.stub().withDeadlineAfter(2, TimeUnit.SECONDS).validate(request);
            long now = System.nanoTime();
            if (!r.getValid()) {
                return new long[] {now - t0, r.getReasonValue()};
            }
            if (now >= deadline || Thread.currentThread().isInterrupted()) {
                return new long[] {-1, 0};
            }
            if (pause > 0) {
                LockSupport.parkNanos(pause);
            }
        }
    }

    /** {@code sessions} logins, then refreshes round robin over the sessions until {@code count} tokens. */
    private List<Token> mintTokens(AuthServiceGrpc.AuthServiceBlockingStub auth, int count) {
        List<TokenPair> chains = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            chains.add(auth.withDeadlineAfter(30, TimeUnit.SECONDS).login(LoginRequest.newBuilder().setClientId(appClient)
                    .setUsername(users.get(i % users.size())).setPassword(password).build()));
        }
        List<Token> tokens = new ArrayList<>(count);
        for (int i = 0; tokens.size() < count; i++) {
            int k = i % chains.size();
            TokenPair next = auth.withDeadlineAfter(30, TimeUnit.SECONDS).refresh(RefreshRequest.newBuilder()
                    .setClientId(appClient).setRefreshToken(chains.get(k).getRefreshToken()).build());
            chains.set(k, next);
            tokens.add(new Token(next.getAccessToken(), jti(next.getAccessToken())));
        }
        return tokens;
    }

    static String jti(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Matcher m = JTI.matcher(payload);
        if (!m.find()) {
            throw new IllegalStateException("access token without a jti");
        }
        return m.group(1);
    }

    private void awaitServing(Sidecar s) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                var status = HealthGrpc.newBlockingStub(s.channel()).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
                if (status == ServingStatus.SERVING) {
                    return;
                }
                last = status.name();
            } catch (io.grpc.StatusRuntimeException e) {
                last = e.getStatus().toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("sidecar " + s.target() + " not SERVING within 90 s (" + last + ")");
    }

    private static int bucketOf(long nanos) {
        for (int b = 0; b < BUCKETS_MS.length; b++) {
            if (nanos <= TimeUnit.MILLISECONDS.toNanos(BUCKETS_MS[b])) {
                return b;
            }
        }
        return BUCKETS_MS.length;
    }

    private void print(List<Sidecar> sidecars, Histogram round, Histogram local, Histogram remote, Histogram adminCall,
            Histogram endToEnd, long[] buckets, Map<DenialReason, Long> reasons, long timeouts, double seconds) {
        long remoteCount = sidecars.stream().filter(Sidecar::remote).count();
        System.out.printf("%s%d revocations (after %d warm-up), sequential, to %s; %d sidecars (%d on it, %d on another "
                        + "replica); poll interval %s; %d cores; %.0f s%n%n",
                label == null ? "" : label + " - ", revocations, warmupRevocations, authority, sidecars.size(),
                sidecars.size() - remoteCount, remoteCount, pollInterval.toNanos() == 0 ? "0 (spin)"
                        : pollInterval.toMillis() + " ms", Runtime.getRuntime().availableProcessors(), seconds);
        System.out.println("| measure | n | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("RevokeToken returned -> all " + sidecars.size() + " sidecars deny", round);
        row("  per sidecar, following " + authority, local);
        if (remoteCount > 0) {
            row("  per sidecar, following the other replica", remote);
        }
        row("RevokeToken call itself (for reference)", adminCall);
        // Work the authority does before answering moves time from the row above to this one, so
        // the first row alone cannot be improved by answering later.
        row("RevokeToken sent -> all " + sidecars.size() + " sidecars deny (end to end)", endToEnd);
        StringBuilder dist = new StringBuilder("\nRound latency distribution (all sidecars deny):");
        long previous = 0;
        for (int b = 0; b <= BUCKETS_MS.length; b++) {
            String range = b < BUCKETS_MS.length ? previous + "-" + BUCKETS_MS[b] + " ms" : "> " + previous + " ms";
            dist.append(String.format(Locale.ROOT, " %s: %d;", range, buckets[b]));
            previous = b < BUCKETS_MS.length ? BUCKETS_MS[b] : previous;
        }
        System.out.println(dist);
        System.out.printf("Denial reasons: %s; timeouts (> %s): %d%n", reasons, roundTimeout, timeouts);
    }

    /** Percentiles of signed delays (an event can reach a subscriber before the admin's answer does). */
    private static void printProbe(LoopbackTarget target, List<Long> delays) {
        List<Long> sorted = delays.stream().sorted().toList();
        long missing = sorted.stream().filter(d -> d == Long.MAX_VALUE).count();
        java.util.function.DoubleFunction<String> at = q -> {
            long v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
            return v == Long.MAX_VALUE ? "missing" : String.format(Locale.ROOT, "%.2f", v / 1e6);
        };
        System.out.printf(Locale.ROOT, "Feed event at a probe subscriber on %s, ms from RevokeToken returned "
                        + "(negative: before the answer): p50 %s, p99 %s, max %s "
                        + "(n %d; still on its way when every sidecar already denied: %d)%n",
                target, at.apply(0.50), at.apply(0.99), at.apply(1.0), sorted.size(), missing);
    }

    private static void row(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }

    /**
     * A bare Subscribe stream in this process, recording when each event arrives: the authority's
     * share of the propagation time, without a sidecar's threads or state in the way.
     */
    private record FeedProbe(LoopbackTarget target, ManagedChannel channel,
            java.util.concurrent.ConcurrentHashMap<Long, Long> arrivals) {

        static FeedProbe start(LoopbackTarget target, String secret) {
            ManagedChannel channel = NettyChannelBuilder.forAddress(target.host(), target.port()).usePlaintext()
                    .directExecutor().build();
            FeedProbe probe = new FeedProbe(target, channel, new java.util.concurrent.ConcurrentHashMap<>());
            dev.tokenauthority.api.v1.RevocationFeedServiceGrpc.newStub(channel).subscribe(
                    dev.tokenauthority.api.v1.SubscribeRequest.newBuilder().setClientId("demo-sidecar")
                            .setClientSecret(secret).setSidecarId("propagation-probe").build(),
                    new io.grpc.stub.StreamObserver<>() {
                        @Override
                        public void onNext(dev.tokenauthority.api.v1.FeedMessage m) {
                            FeedArrivals.record(m, probe.arrivals());
                        }

                        @Override
                        public void onError(Throwable t) {
                            if (!channel.isShutdown()) {
                                System.err.println("feed probe on " + target + " failed: " + t);
                            }
                        }

                        @Override
                        public void onCompleted() { }
                    });
            return probe;
        }

        void close() {
            channel.shutdownNow();
        }
    }
}
