package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.ReportFormat.human;

import com.google.protobuf.ByteString;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.bench.AlternatingSlices.CellResult;
import dev.tokenauthority.bench.AlternatingSlices.PairResult;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop load on one running validator sidecar: {@code ValidatorService/Validate} of a real
 * access token, beside {@code grpc.health.v1.Health/Check} on the same server as the no-op
 * baseline, over loopback TCP and over the sidecar's Unix domain socket, at each requested number
 * of calls in flight. Prints a markdown table with throughput, p50 and p99, and the
 * Validate/Health ratios the targets are stated in (throughput >= 0.8x, p50 <= 1.25x).
 *
 * <p>Design: one channel (one HTTP/2 connection) per transport, as one application process would
 * hold. N calls are kept in flight by N "slots": a slot starts a call and, when its answer
 * arrives, records the latency and starts the next call from the callback (closed loop, the
 * shape of grpc-java's own {@code AsyncClient} benchmark). The channel uses a direct executor, so
 * callbacks run on its single Netty event loop; no thread hand-off is measured that a real caller
 * would not also have ({@link SidecarTransport}, {@link AlternatingSlices}). Per transport and in-flight level: a warm-up alternating both methods in
 * 1 s slices, then {@code --slices} measured slices of each method, alternating H V, V H, ... so
 * that both see the same machine even when co-tenants come and go (this machine is shared).
 * Only calls started inside a measured slice are recorded (HdrHistogram {@link Recorder}, 3
 * significant digits); each slice waits for its calls in flight before the next starts. Bounded:
 * every slice stops issuing at its end (or at {@code --max-ops} calls in the run), and is
 * abandoned a grace period later whatever happens.
 *
 * <p>The token comes from the authority ({@code AuthService/Login}, client {@code demo-app}), so
 * every Validate after the first is a cache hit of a genuine token; each request is deserialised
 * into a fresh String by the server, as in production.
 *
 * <p>Run (an authority with {@code --demo} on 17271 and a sidecar on TCP 17280 and a socket):
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.SidecarLoad \
 *     --authority 127.0.0.1:17271 --tcp 127.0.0.1:17280 --uds /tmp/sidecar.sock \
 *     --warmup 10s --duration 15s --in-flight 1,64
 * </pre>
 * or {@code benchmarks/run-sidecar-benchmarks.sh}, which also starts and stops the processes.
 */
@Command(name = "sidecar-load", mixinStandardHelpOptions = true,
        description = "Validate vs Health/Check on a running sidecar over TCP and UDS (loopback only); prints a markdown table.")
public final class SidecarLoad implements Callable<Integer> {

    /** How long to wait for the sidecar to report SERVING (it needs its first feed snapshot). */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--authority", required = true, converter = LoopbackTarget.Converter.class,
            description = "The authority (loopback host:port), to log in for a real token.")
    LoopbackTarget authority;

    @Option(names = "--tcp", required = true, converter = LoopbackTarget.Converter.class,
            description = "The sidecar's TCP listener (loopback host:port).")
    LoopbackTarget tcp;

    @Option(names = "--uds", description = "The sidecar's Unix domain socket; omit to measure TCP only.")
    Path uds;

    @Option(names = "--in-flight", split = ",", defaultValue = "1,64",
            description = "Calls kept in flight on the one channel, one cell each (default ${DEFAULT-VALUE}).")
    List<Integer> inFlight;

    @Option(names = "--warmup", defaultValue = "10s", converter = LoopbackTarget.DurationConverter.class,
            description = "Warm-up per transport and in-flight level, both methods alternating (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "15s", converter = LoopbackTarget.DurationConverter.class,
            description = "Measured time per method and in-flight level, in --slices slices (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--slices", defaultValue = "5",
            description = "Measured slices per method, alternating Health and Validate (default ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--max-ops", defaultValue = "20000000",
            description = "Cap on calls in the whole run, warm-ups included (default ${DEFAULT-VALUE}).")
    long maxOps;

    @Option(names = "--call-deadline", defaultValue = "5s", converter = LoopbackTarget.DurationConverter.class,
            description = "Deadline of each call (default ${DEFAULT-VALUE}).")
    Duration callDeadline;

    @Option(names = "--app-client", defaultValue = "demo-app", description = "Public client to log in with.")
    String appClient;

    @Option(names = "--user", defaultValue = "alice@example.com", description = "User to log in as.")
    String user;

    @Option(names = "--password", defaultValue = "demo-password", description = "The user's password (demo data).")
    String password;

    @Option(names = "--check-vs-validate", description = "Measure Envoy's ext_authz Check (the same token in an "
            + "authorization header) against Validate, instead of Validate against Health/Check.")
    boolean checkVsValidate;

    @Option(names = "--label", description = "Free text printed above the table.")
    String label;

    @Option(names = "--sidecar-pid", description = "The sidecar's pid (same machine): also report its CPU time per call, "
            + "from /proc/<pid>/stat, which co-tenant load disturbs far less than latency.")
    Long sidecarPid;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SidecarLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (int n : inFlight) {
            if (n < 1 || n > 1024) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--in-flight must be within 1..1024");
            }
        }
        String token = login();
        UnaryProbe<HealthCheckRequest, HealthCheckResponse> health = new UnaryProbe<>("Health/Check",
                HealthGrpc.getCheckMethod(), HealthCheckRequest.newBuilder().setService("").build(),
                r -> r.getStatus() == ServingStatus.SERVING);
        UnaryProbe<ValidateRequest, ValidateResponse> validate = new UnaryProbe<>("Validate",
                ValidatorServiceGrpc.getValidateMethod(),
                // Built once, sent every call: as bytes, protobuf copies the token instead of encoding its
                // ~600 characters to UTF-8 per call, a cost of this load generator (it shares the cores with
                // the sidecar) that a profile showed and that says nothing about the sidecar.
                ValidateRequest.newBuilder().setTokenBytes(ByteString.copyFromUtf8(token)).build(),
                ValidateResponse::getValid);
        UnaryProbe<CheckRequest, CheckResponse> check = new UnaryProbe<>("ext_authz Check",
                AuthorizationGrpc.getCheckMethod(), CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                        .setRequest(AttributeContext.Request.newBuilder().setHttp(AttributeContext.HttpRequest.newBuilder()
                                .setMethod("GET").setPath("/").putHeaders("authorization", "Bearer " + token))))
                        .build(),
                r -> r.getStatus().getCode() == 0);
        UnaryProbe<?, ?> baseline = checkVsValidate ? validate : health;
        UnaryProbe<?, ?> measured = checkVsValidate ? check : validate;
        String ratio = measured.name() + "/" + baseline.name();
        AlternatingSlices measurement = new AlternatingSlices(warmup, duration, slices, maxOps, callDeadline, sidecarPid);

        List<SidecarTransport> transports = new ArrayList<>();
        transports.add(SidecarTransport.tcp(tcp));
        if (uds != null) {
            transports.add(SidecarTransport.unixSocket(uds));
        }
        System.out.printf("%s%s: closed loop over one channel per transport; per transport and in-flight level "
                        + "%s warm-up, then %s per method in %d alternating slices; call deadline %s; %d cores, %s%n%n",
                label == null ? "" : label + " - ", "sidecar " + tcp + (uds == null ? "" : " and " + uds),
                human(warmup), human(duration), slices, human(callDeadline), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.println("| transport | in flight | RPC | calls/s | p50 us | p99 us | errors | "
                + ratio + " calls/s (per-slice range) | " + ratio + " p50 | sidecar CPU us/call | "
                + "load generator CPU us/call |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        boolean targetsMet = true;
        boolean clean = true;
        try {
            for (SidecarTransport t : transports) {
                SidecarHealth.awaitServing(t.channel(), READY_TIMEOUT, t.name() + ": sidecar");
                requireValid(t, validate);
                for (int n : inFlight) {
                    PairResult pair = measurement.runPair(t.channel(), baseline, measured, n);
                    CellResult h = pair.health();
                    CellResult v = pair.validate();
                    printRow(t.name(), n, baseline.name(), h, "", "");
                    double tputRatio = v.opsPerSecond() / h.opsPerSecond();
                    double p50Ratio = v.p50Micros() / h.p50Micros();
                    boolean met = tputRatio >= 0.8 && p50Ratio <= 1.25;
                    targetsMet &= met;
                    clean &= h.errors() == 0 && v.errors() == 0;
                    printRow(t.name(), n, measured.name(), v,
                            String.format(Locale.ROOT, "%.2fx (slices %.2f-%.2f)%s", tputRatio, pair.minRatio(),
                                    pair.maxRatio(), tputRatio >= 0.8 ? "" : " MISSED"),
                            String.format(Locale.ROOT, "%.2fx%s", p50Ratio, p50Ratio <= 1.25 ? "" : " MISSED"));
                }
            }
        } finally {
            for (SidecarTransport t : transports) {
                t.close();
            }
        }
        if (!checkVsValidate) {
            System.out.printf("%nTargets (Validate throughput >= 0.8x and p50 <= 1.25x Health/Check, every cell): %s%n",
                    targetsMet ? "met" : "NOT met");
        }
        return clean ? 0 : 3;
    }

    private void printRow(String transport, int n, String rpc, CellResult r, String tputRatio, String p50Ratio) {
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %,.0f | %.1f | %.1f | %d | %s | %s | %s | %.1f |%n",
                transport, n, rpc, r.opsPerSecond(), r.p50Micros(), r.p99Micros(), r.errors(), tputRatio, p50Ratio,
                sidecarPid == null ? "-" : String.format(Locale.ROOT, "%.1f", r.sidecarCpuMicrosPerCall()),
                r.loadGeneratorCpuMicrosPerCall());
        System.out.flush();
    }

    private String login() {
        ManagedChannel channel = NettyChannelBuilder.forAddress(authority.host(), authority.port()).usePlaintext().build();
        try {
            return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .login(LoginRequest.newBuilder().setClientId(appClient).setUsername(user).setPassword(password).build())
                    .getAccessToken();
        } finally {
            channel.shutdownNow();
        }
    }

    private static void requireValid(SidecarTransport t, UnaryProbe<ValidateRequest, ValidateResponse> validate) {
        ValidateResponse r = ValidatorServiceGrpc.newBlockingStub(t.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .validate(validate.request());
        if (!r.getValid()) {
            throw new IllegalStateException(t.name() + ": the authority's token is not valid at the sidecar: " + r.getReason());
        }
    }
}
