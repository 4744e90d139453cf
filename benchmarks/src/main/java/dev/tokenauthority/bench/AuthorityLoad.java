package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc.AuthServiceBlockingStub;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop load generator for a running authority's {@code AuthService}: Login, Refresh and
 * Introspect throughput and p50/p99 latency at each requested concurrency, over plaintext
 * loopback gRPC (Netty).
 *
 * <p>Design: each of N clients is one platform thread issuing blocking calls back to back (closed
 * loop: a client waits for its answer before the next call, so offered load adapts to the
 * server). By default all clients share one {@link ManagedChannel}, i.e. one HTTP/2 connection
 * with up to N concurrent streams, which is what a real deployment looks like: one backend
 * process holds one channel to the authority. {@code --channel-per-client} gives each client its
 * own connection instead, for comparison. Each cell (operation x concurrency) runs a warm-up,
 * then a measured window; only calls that start inside the window are recorded, latencies into a
 * per-thread HdrHistogram merged at the end. A cell is bounded in time (window plus a grace, after
 * which the channel is shut down) and in count ({@code --max-ops}).
 *
 * <ul>
 *   <li>Login: public client {@code demo-app}, round robin over {@code --users}, by default as many
 *       accounts as the largest concurrency, created through the admin API when missing: the
 *       authority lets at most 5 logins of one account check a password at the same time (the
 *       login throttle reserves each attempt before the hash), so a shared account would measure
 *       the throttle. Every call runs the
 *       Argon2id password hash (19 MiB, t=2) by design, so this measures the hash, not the
 *       server.</li>
 *   <li>Refresh: each client logs in once, then rotates its own chain: every call presents the
 *       refresh token of the previous answer. A failed call breaks the chain; the client logs in
 *       again (outside the measurement) and counts an error.</li>
 *   <li>Introspect: confidential client {@code demo-sidecar} (secret from {@code --secret-file})
 *       introspects a live access token that client obtained by logging in; {@code active=false}
 *       counts as an error.</li>
 * </ul>
 *
 * <p>Run (the authority started with {@code --demo}):
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.AuthorityLoad \
 *     --target 127.0.0.1:17171 --secret-file /tmp/bench-h2/demo-sidecar.secret \
 *     --duration 20s --concurrency 1,16 --ops login,refresh,introspect
 * </pre>
 * or {@code benchmarks/run-authority-load.sh} for H2 and PostgreSQL in one go.
 */
@Command(name = "authority-load", mixinStandardHelpOptions = true,
        description = "Closed-loop gRPC load on a running authority (loopback only); prints a markdown table.")
public final class AuthorityLoad implements java.util.concurrent.Callable<Integer> {

    /** Histograms track latencies up to this; longer calls are clamped (the call deadline is lower). */
    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long past the measured window a cell may take before its channel is shut down. */
    private static final Duration CELL_GRACE = Duration.ofSeconds(15);

    enum Operation { LOGIN, REFRESH, INTROSPECT }

    @Option(names = "--target", defaultValue = "127.0.0.1:17171",
            description = "host:port of the authority; must be a loopback address (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--secret-file", required = true, description = "File holding demo-sidecar's client secret.")
    Path secretFile;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured window per cell (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "Warm-up before each measured window, not recorded (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,16",
            description = "Concurrent clients, one cell each (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--ops", split = ",", defaultValue = "login,refresh,introspect",
            description = "Operations to measure: login, refresh, introspect (default ${DEFAULT-VALUE}).")
    List<String> ops;

    @Option(names = "--max-ops", defaultValue = "5000000",
            description = "Cap on calls per cell, warm-up included (default ${DEFAULT-VALUE}).")
    long maxOps;

    @Option(names = "--call-deadline", defaultValue = "10s", converter = DurationConverter.class,
            description = "Deadline of each call (default ${DEFAULT-VALUE}).")
    Duration callDeadline;

    @Option(names = "--channel-per-client",
            description = "One channel (TCP connection) per client instead of one shared channel.")
    boolean channelPerClient;

    @Option(names = "--app-client", defaultValue = "demo-app", description = "Public client for Login/Refresh.")
    String appClient;

    @Option(names = "--introspect-client", defaultValue = "demo-sidecar", description = "Confidential client for Introspect.")
    String introspectClient;

    @Option(names = "--users", split = ",",
            description = "Users to log in as, round robin over clients (default: load-1@example.com ... load-N@example.com,"
                    + " N the largest concurrency, created with the demo admin's token when missing).")
    List<String> users;

    @Option(names = "--admin-user", defaultValue = "admin@example.com") String adminUser;
    @Option(names = "--admin-password", defaultValue = "demo-admin-password") String adminPassword;

    @Option(names = "--password", defaultValue = "demo-password", description = "The users' password (demo data).")
    String password;

    @Option(names = "--label", description = "Free text printed above the table (e.g. the database).")
    String label;

    /** Reads {@code 500ms}, {@code 20s}, {@code 2m} or ISO-8601; kept here so the tool does not track server internals. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final java.util.regex.Pattern SHORT = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            java.util.regex.Matcher m = SHORT.matcher(value.trim());
            if (!m.matches()) {
                return Duration.parse(value.trim());
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }

    private String introspectSecret;
    private String host;
    private int port;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AuthorityLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        parseTarget();
        introspectSecret = Files.readString(secretFile).strip();
        if (users == null || users.isEmpty()) {
            users = LoadUsers.ensure(host, port, adminUser, adminPassword, password,
                    concurrency.stream().mapToInt(Integer::intValue).max().orElse(1));
        }
        List<Operation> operations = ops.stream().map(o -> Operation.valueOf(o.trim().toUpperCase(Locale.ROOT))).toList();
        for (int n : concurrency) {
            if (n < 1 || n > 256) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--concurrency must be within 1..256");
            }
        }

        System.out.printf("%s%s: closed loop, %s warm-up + %s measured per cell, %s, call deadline %s%n%n",
                label == null ? "" : label + " - ", "target " + host + ":" + port, human(warmup), human(duration),
                channelPerClient ? "one channel (TCP connection) per client" : "one shared channel (one HTTP/2 connection)",
                human(callDeadline));
        System.out.println("| operation | clients | ops/s | p50 ms | p99 ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        boolean allClean = true;
        for (Operation op : operations) {
            for (int n : concurrency) {
                CellResult r = runCell(op, n);
                System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %.2f | %d |%n",
                        op.name().charAt(0) + op.name().substring(1).toLowerCase(Locale.ROOT), n,
                        r.opsPerSecond(), r.p50Millis(), r.p99Millis(), r.errors());
                if (!r.errorsByCode().isEmpty()) {
                    System.err.printf("  %s/%d errors by status: %s%n", op, n, r.errorsByCode());
                    allClean = false;
                }
                System.out.flush();
            }
        }
        return allClean ? 0 : 3;
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Refuses anything but a loopback target: this tool must never load someone else's server. */
    private void parseTarget() throws UnknownHostException {
        int colon = target.lastIndexOf(':');
        if (colon < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--target must be host:port");
        }
        host = target.substring(0, colon).replace("[", "").replace("]", "");
        port = Integer.parseInt(target.substring(colon + 1));
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (!address.isLoopbackAddress()) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--target must be a loopback address (127.0.0.1), not " + host);
            }
        }
    }

    private record CellResult(double opsPerSecond, double p50Millis, double p99Millis, long errors,
            Map<Status.Code, Long> errorsByCode) {}

    /** One client's loop state and its private histogram (no sharing on the hot path). */
    private final class Worker implements Runnable {
        private final Operation op;
        private final int index;
        private final AuthServiceBlockingStub stub;
        private final CyclicBarrier start;
        private final long[] phase; // [0] = measure start, [1] = measure end (nanoTime), set by the barrier action
        private final AtomicLong issued;
        final Histogram histogram = new Histogram(MAX_TRACKED_NANOS, 3);
        final Map<Status.Code, Long> errors = new EnumMap<>(Status.Code.class);
        long measured;
        long lastCompletion;
        Throwable failure;
        private TokenPair pair;

        Worker(Operation op, int index, AuthServiceBlockingStub stub, CyclicBarrier start, long[] phase,
                AtomicLong issued) {
            this.op = op;
            this.index = index;
            this.stub = stub;
            this.start = start;
            this.phase = phase;
            this.issued = issued;
        }

        @Override
        public void run() {
            try {
                if (op != Operation.LOGIN) {
                    pair = login(); // setup, not measured
                }
                start.await();
                long measureStart = phase[0];
                long measureEnd = phase[1];
                while (issued.incrementAndGet() <= maxOps) {
                    long t0 = System.nanoTime();
                    Status.Code error = callOnce();
                    long t1 = System.nanoTime();
                    if (t0 >= measureStart) {
                        if (error == null) {
                            histogram.recordValue(Math.min(t1 - t0, MAX_TRACKED_NANOS));
                            measured++;
                            lastCompletion = t1;
                        } else {
                            errors.merge(error, 1L, Long::sum);
                        }
                    }
                    if (error != null && op == Operation.REFRESH) {
                        pair = login(); // the chain is broken; start a new session
                    }
                    if (t1 >= measureEnd || Thread.currentThread().isInterrupted()) {
                        break;
                    }
                }
            } catch (Throwable t) {
                failure = t;
                start.reset(); // release the others from the barrier so the cell ends now
            }
        }

        /** One call; null on success, else the status code. */
        private Status.Code callOnce() {
            AuthServiceBlockingStub s = stub.withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS);
            try {
                switch (op) {
                    case LOGIN -> s.login(loginRequest());
                    case REFRESH -> pair = s.refresh(RefreshRequest.newBuilder()
                            .setClientId(appClient)
                            .setRefreshToken(pair.getRefreshToken())
                            .build());
                    case INTROSPECT -> {
                        IntrospectResponse r = s.introspect(IntrospectRequest.newBuilder()
                                .setClientId(introspectClient)
                                .setClientSecret(introspectSecret)
                                .setToken(pair.getAccessToken())
                                .setTokenTypeHint("access_token")
                                .build());
                        if (!r.getActive()) {
                            return Status.Code.FAILED_PRECONDITION; // stands for "answered inactive"
                        }
                    }
                }
                return null;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
            }
        }

        private TokenPair login() {
            return stub.withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS).login(loginRequest());
        }

        private LoginRequest loginRequest() {
            return LoginRequest.newBuilder()
                    .setClientId(appClient)
                    .setUsername(users.get(index % users.size()))
                    .setPassword(password)
                    .build();
        }
    }

    private CellResult runCell(Operation op, int clients) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        Supplier<ManagedChannel> newChannel = () -> {
            ManagedChannel c = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                    .build();
            channels.add(c);
            return c;
        };
        ManagedChannel shared = channelPerClient ? null : newChannel.get();
        long[] phase = new long[2];
        CyclicBarrier start = new CyclicBarrier(clients, () -> {
            long now = System.nanoTime();
            phase[0] = now + warmup.toNanos();
            phase[1] = phase[0] + duration.toNanos();
        });
        AtomicLong issued = new AtomicLong();
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ManagedChannel channel = channelPerClient ? newChannel.get() : shared;
            Worker w = new Worker(op, i, AuthServiceGrpc.newBlockingStub(channel), start, phase, issued);
            Thread t = new Thread(w, "load-" + op.name().toLowerCase(Locale.ROOT) + "-" + i);
            t.setDaemon(true);
            workers.add(w);
            threads.add(t);
        }
        long startedAt = System.nanoTime();
        threads.forEach(Thread::start);

        // Time bound: setup (logins) + warm-up + window + grace; then cut the calls off.
        long budgetNanos = Duration.ofSeconds(60).toNanos() + warmup.toNanos() + duration.toNanos() + CELL_GRACE.toNanos();
        for (Thread t : threads) {
            long left = budgetNanos - (System.nanoTime() - startedAt);
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        boolean overran = threads.stream().anyMatch(Thread::isAlive);
        if (overran) {
            System.err.printf("  %s/%d: overran its time budget; cancelling in-flight calls%n", op, clients);
            start.reset();
            threads.forEach(Thread::interrupt);
            channels.forEach(ManagedChannel::shutdownNow);
            for (Thread t : threads) {
                t.join(5_000);
            }
        }
        for (ManagedChannel c : channels) {
            c.shutdown();
            if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
                c.shutdownNow();
            }
        }
        for (Worker w : workers) {
            if (w.failure != null && !(w.failure instanceof java.util.concurrent.BrokenBarrierException)) {
                throw new IllegalStateException(op + "/" + clients + " failed: " + w.failure, w.failure);
            }
        }
        if (overran) {
            throw new IllegalStateException(op + "/" + clients + " overran its time budget");
        }

        Histogram all = new Histogram(MAX_TRACKED_NANOS, 3);
        long ok = 0;
        long lastCompletion = phase[0];
        Map<Status.Code, Long> errorsByCode = new TreeMap<>();
        for (Worker w : workers) {
            all.add(w.histogram);
            ok += w.measured;
            lastCompletion = Math.max(lastCompletion, w.lastCompletion);
            w.errors.forEach((code, count) -> errorsByCode.merge(code, count, Long::sum));
        }
        // The window ends at the measured end or at the last completion, whichever is later (a slow
        // Login started just before the end completes after it).
        double seconds = Math.max(duration.toNanos(), lastCompletion - phase[0]) / 1e9;
        long errors = errorsByCode.values().stream().mapToLong(Long::longValue).sum();
        return new CellResult(ok / seconds, all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(99) / 1e6,
                errors, errorsByCode);
    }
}
