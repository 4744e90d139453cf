package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc.ValidatorServiceBlockingStub;
import dev.tokenauthority.bench.RevocableTokens.Token;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * instead of N logins. The jti is read from the JWT payload ({@link RevocableTokens}).
 *
 * <p>Each round, sequentially: Validate the next token on every sidecar and require
 * {@code valid=true} (so it is a cached, verified token, as in production); call RevokeToken on
 * its jti; at the moment the call returns (t0) one poller per sidecar starts calling Validate
 * every {@code --poll-interval} until the answer is {@code valid=false}; that sidecar's latency
 * is the time from t0 to the return of its first denying answer (so it includes up to one poll
 * interval plus one Validate round trip of measurement slack). The round's latency is the
 * slowest sidecar's. A sidecar not denying within {@code --round-timeout} counts as a timeout.
 * The first {@code --warmup-revocations} rounds are not recorded ({@link PropagationResults}).
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

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

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
    Path probeSecretFile;
    @Option(names = "--raw", description = "Also write one CSV line per measured round here: feed sequence, "
            + "RevokeToken call us, each feed probe's us, then each sidecar's us (local ones first).")
    Path raw;

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
            SidecarHealth.awaitServing(s.channel(), READY_TIMEOUT, "sidecar " + s.target());
        }
        List<PropagationFeedProbe> probes = new ArrayList<>();
        for (LoopbackTarget t : feedProbeTargets) {
            probes.add(PropagationFeedProbe.start(t, Files.readString(probeSecretFile).strip()));
        }
        try {
            return measure(authorityChannel, sidecars, pollers, probes);
        } finally {
            probes.forEach(PropagationFeedProbe::close);
        }
    }

    private int measure(ManagedChannel authorityChannel, List<Sidecar> sidecars, ExecutorService pollers,
            List<PropagationFeedProbe> probes) throws Exception {
        var auth = AuthServiceGrpc.newBlockingStub(authorityChannel);
        AdminServiceBlockingStub admin = AdminLogin.adminStub(authorityChannel, adminUser, adminPassword);

        long setupStart = System.nanoTime();
        List<Token> tokens = RevocableTokens.mint(auth, appClient, users, password, sessions,
                warmupRevocations + revocations);
        System.err.printf("minted %d tokens from %d logins in %.1f s%n", tokens.size(), sessions,
                (System.nanoTime() - setupStart) / 1e9);

        PropagationResults results = new PropagationResults(probes.size());
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
            long[] polled = new long[sidecars.size()];
            for (int k = 0; k < sidecars.size(); k++) {
                long[] outcome = polls.get(k).get(roundTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                long nanos = outcome[0];
                polled[k] = nanos;
                if (nanos < 0) {
                    if (recorded) {
                        results.timeout();
                    }
                    nanos = roundTimeout.toNanos();
                } else if (recorded) {
                    results.denied(DenialReason.forNumber((int) outcome[1]));
                }
                slowest = Math.max(slowest, nanos);
                if (recorded) {
                    results.sidecar(sidecars.get(k).remote(), nanos);
                }
            }
            if (recorded) {
                for (int k = 0; k < probes.size(); k++) {
                    Long arrived = probes.get(k).arrivals().remove(result.getFeedSequence());
                    results.probeArrival(k, arrived == null ? null : arrived - t0);
                }
                if (raw != null) {
                    results.csvLine(result.getFeedSequence(), t0 - sent, polled);
                }
                results.round(t0 - sent, slowest);
            } else {
                probes.forEach(p -> p.arrivals().remove(result.getFeedSequence()));
            }
        }
        double seconds = (System.nanoTime() - runStart) / 1e9;
        if (raw != null) {
            Files.writeString(raw, results.csv());
        }
        long remoteCount = sidecars.stream().filter(Sidecar::remote).count();
        System.out.printf("%s%d revocations (after %d warm-up), sequential, to %s; %d sidecars (%d on it, %d on another "
                        + "replica); poll interval %s; %d cores; %.0f s%n%n",
                label == null ? "" : label + " - ", revocations, warmupRevocations, authority, sidecars.size(),
                sidecars.size() - remoteCount, remoteCount, pollInterval.toNanos() == 0 ? "0 (spin)"
                        : pollInterval.toMillis() + " ms", Runtime.getRuntime().availableProcessors(), seconds);
        results.printTable(sidecars.size(), remoteCount, authority, roundTimeout);
        results.printProbes(probes.stream().map(PropagationFeedProbe::target).toList());
        return results.timeouts() == 0 ? 0 : 3;
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
}
