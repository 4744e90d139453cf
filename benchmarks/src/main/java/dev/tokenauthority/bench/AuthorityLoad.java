package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.ReportFormat.human;

import dev.tokenauthority.bench.AuthorityLoadCells.CellResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * server). By default all clients share one {@code ManagedChannel}, i.e. one HTTP/2 connection
 * with up to N concurrent streams, which is what a real deployment looks like: one backend
 * process holds one channel to the authority. {@code --channel-per-client} gives each client its
 * own connection instead, for comparison. Each cell (operation x concurrency) runs a warm-up,
 * then a measured window; only calls that start inside the window are recorded, latencies into a
 * per-thread HdrHistogram merged at the end. A cell is bounded in time (window plus a grace, after
 * which the channel is shut down) and in count ({@code --max-ops}). The clients are
 * {@link AuthorityLoadClient}s, run cell by cell by {@link AuthorityLoadCells}.
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
public final class AuthorityLoad implements Callable<Integer> {

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
        private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.trim());
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
        List<AuthorityOperation> operations = ops.stream()
                .map(o -> AuthorityOperation.valueOf(o.trim().toUpperCase(Locale.ROOT))).toList();
        for (int n : concurrency) {
            if (n < 1 || n > 256) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--concurrency must be within 1..256");
            }
        }
        AuthorityLoadCells cells = new AuthorityLoadCells(host, port, channelPerClient, warmup, duration, maxOps,
                callDeadline, new AuthorityRequests(appClient, introspectClient, introspectSecret, users, password));

        System.out.printf("%s%s: closed loop, %s warm-up + %s measured per cell, %s, call deadline %s%n%n",
                label == null ? "" : label + " - ", "target " + host + ":" + port, human(warmup), human(duration),
                channelPerClient ? "one channel (TCP connection) per client" : "one shared channel (one HTTP/2 connection)",
                human(callDeadline));
        System.out.println("| operation | clients | ops/s | p50 ms | p99 ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        boolean allClean = true;
        for (AuthorityOperation op : operations) {
            for (int n : concurrency) {
                CellResult r = cells.run(op, n);
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
}
