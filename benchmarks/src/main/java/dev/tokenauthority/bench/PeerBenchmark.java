package dev.tokenauthority.bench;

import dev.tokenauthority.bench.AuthorityLoad.DurationConverter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures one system of the Keycloak comparison ({@code benchmarks/peer/run-keycloak-peer.sh}):
 * Keycloak or the authority, both on the same local PostgreSQL server, each on its own database.
 *
 * <ul>
 *   <li>rotation: closed loop ({@link ClosedLoopCell}), each client on its own refresh chain as one
 *       confidential client; throughput, p50/p99, and the CPU per rotation of the server process
 *       and of the PostgreSQL backends connected to the system's database ({@link ServingCpu}).</li>
 *   <li>checks: the same loop, each call checking a live access token: Keycloak's introspection
 *       endpoint, or a sidecar's Validate (its CPU counted as the server's).</li>
 *   <li>logout: a user with N sessions, then one timed force-logout call (Keycloak's admin
 *       {@code POST /users/{id}/logout}, the authority's {@code RevokeUserTokens}); a few rounds.</li>
 * </ul>
 *
 * <p>Prints markdown tables and appends one tab-separated line per cell to {@code --results}, which
 * {@link PeerComparison} reads to print the ratios.
 */
@Command(name = "peer-benchmark", mixinStandardHelpOptions = true,
        description = "Rotation, token checks and force logout on Keycloak or the authority (loopback only).")
public final class PeerBenchmark implements Callable<Integer> {

    @Option(names = "--system", required = true, description = "keycloak or authority") String system;
    @Option(names = "--phases", split = ",", defaultValue = "rotation,checks,logout") List<String> phases;
    @Option(names = "--concurrency", split = ",", defaultValue = "1,16", description = "Clients per rotation cell.")
    List<Integer> concurrency;
    @Option(names = "--check-concurrency", defaultValue = "16") int checkConcurrency;
    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class) Duration warmup;
    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class) Duration duration;
    @Option(names = "--logout-sessions", split = ",", defaultValue = "1000") List<Integer> logoutSessions;
    @Option(names = "--logout-rounds", defaultValue = "3") int logoutRounds;
    /** Untimed force logouts (of a user with two sessions) first, so the timed ones run compiled code, not the interpreter's. */
    @Option(names = "--logout-warmup", defaultValue = "0") int logoutWarmup;
    @Option(names = "--logout-timeout", defaultValue = "300s", converter = DurationConverter.class)
    Duration logoutTimeout;

    @Option(names = "--server-pid", required = true, description = "The server process (Keycloak or the authority).")
    long serverPid;
    @Option(names = "--checker-pid", description = "The process serving token checks, if not the server (the sidecar).")
    Long checkerPid;
    @Option(names = "--database", required = true, description = "The system's PostgreSQL database.") String database;
    @Option(names = "--pg-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/") String pgUrl;
    @Option(names = "--pg-user", defaultValue = "postgres") String pgUser;
    @Option(names = "--results", required = true, description = "Tab-separated results, appended.") Path results;

    @Option(names = "--keycloak-url", defaultValue = "http://127.0.0.1:18480") String keycloakUrl;
    @Option(names = "--realm", defaultValue = "peer") String realm;
    @Option(names = "--keycloak-client-secret", defaultValue = "peer-secret") String keycloakClientSecret;
    @Option(names = "--keycloak-admin-password", defaultValue = "peer-admin-password") String keycloakAdminPassword;

    @Option(names = "--authority", defaultValue = "127.0.0.1:17471", converter = LoopbackTarget.Converter.class)
    LoopbackTarget authorityTarget;
    @Option(names = "--sidecar", defaultValue = "127.0.0.1:17472", converter = LoopbackTarget.Converter.class)
    LoopbackTarget sidecarTarget;

    @Option(names = "--password", defaultValue = "peer-password", description = "The users' password.") String password;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeerBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (PeerSystem peer = connect();
                ServingCpu serverCpu = new ServingCpu(serverPid, pgUrl + "postgres", pgUser, database);
                ServingCpu checkerCpu = new ServingCpu(checkerPid == null ? serverPid : checkerPid,
                        pgUrl + "postgres", pgUser, database)) {
            for (String phase : phases) {
                switch (phase) {
                    case "rotation" -> loop(peer, "rotation", concurrency, serverCpu, true);
                    case "checks" -> loop(peer, "checks", List.of(checkConcurrency), checkerCpu, false);
                    case "logout" -> logout(peer);
                    default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown phase " + phase);
                }
            }
        }
        return 0;
    }

    private PeerSystem connect() throws Exception {
        return switch (system) {
            case "keycloak" -> {
                URI url = URI.create(keycloakUrl);
                LoopbackTarget.parse(url.getHost() + ":" + url.getPort()); // refuses anything but this machine
                yield new KeycloakPeer(new KeycloakCalls(keycloakUrl, realm, "peer-app", keycloakClientSecret),
                        "peer-load", "peer-logout", password, "admin", keycloakAdminPassword);
            }
            case "authority" -> new AuthorityPeer(new AuthorityCalls(authorityTarget.toString(), sidecarTarget.toString(),
                    "admin@example.com", "demo-admin-password", "peer-app", password),
                    DriverManager.getConnection(pgUrl + database, pgUser, ""));
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--system: keycloak or authority");
        };
    }

    private void loop(PeerSystem peer, String phase, List<Integer> clientCounts, ServingCpu cpu, boolean rotation)
            throws Exception {
        System.out.printf("%n%s, %s: closed loop, %s warm-up + %s measured per cell (load average %s)%n%n", system,
                phase, ReportFormat.human(warmup), ReportFormat.human(duration), loadAverage());
        System.out.println("| clients | ops/s | p50 ms | p99 ms | errors | server CPU us/op | PostgreSQL CPU us/op |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        ClosedLoopCell cell = new ClosedLoopCell(warmup, duration, cpu);
        for (int n : clientCounts) {
            List<ClosedLoopCell.Client> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) { // one after the other: set-up logins must not race a login throttle
                clients.add(rotation ? peer.rotationClient() : peer.checkClient());
            }
            ClosedLoopCell.Result r = cell.run(clients);
            System.out.printf(Locale.ROOT, "| %d | %,.0f | %.2f | %.2f | %d | %,.0f | %,.0f |%n", n, r.opsPerSecond(),
                    r.p50Millis(), r.p99Millis(), r.errors(), r.serverMicrosPerOp(), r.postgresMicrosPerOp());
            record(String.format(Locale.ROOT, "%s\t%d\t%.1f\t%.3f\t%.3f\t%d\t%.1f\t%.1f", phase, n, r.opsPerSecond(),
                    r.p50Millis(), r.p99Millis(), r.errors(), r.serverMicrosPerOp(), r.postgresMicrosPerOp()));
        }
    }

    private void logout(PeerSystem peer) throws Exception {
        System.out.printf("%n%s, force logout of a user with N sessions, %d rounds (load average %s)%n%n", system,
                logoutRounds, loadAverage());
        if (logoutWarmup > 0) {
            long t0 = System.nanoTime();
            for (int i = 0; i < logoutWarmup; i++) {
                peer.forceLogout(2, logoutTimeout, true);
            }
            System.out.printf(Locale.ROOT, "warm-up: %d untimed force logouts of 2 sessions in %.1f s%n%n", logoutWarmup,
                    (System.nanoTime() - t0) / 1e9);
        }
        System.out.println("| sessions | median ms | rounds, ms |");
        System.out.println("|---:|---:|---|");
        for (int sessions : logoutSessions) {
            double[] ms = new double[logoutRounds];
            for (int i = 0; i < logoutRounds; i++) {
                ms[i] = peer.forceLogout(sessions, logoutTimeout, false) / 1e6;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            StringBuilder rounds = new StringBuilder();
            for (double m : ms) {
                rounds.append(rounds.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", m));
            }
            System.out.printf(Locale.ROOT, "| %,d | %.1f | %s |%n", sessions, median, rounds);
            System.out.flush();
            record(String.format(Locale.ROOT, "logout\t%d\t%.1f", sessions, median));
        }
    }

    private void record(String line) throws IOException {
        System.out.flush();
        Files.writeString(results, system + "\t" + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
