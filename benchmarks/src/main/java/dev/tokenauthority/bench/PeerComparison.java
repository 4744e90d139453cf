package dev.tokenauthority.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the authority-to-Keycloak ratios of one {@link PeerBenchmark} run from its results file,
 * with the targets: at 16 clients, rotation throughput >= 3x Keycloak's, PostgreSQL CPU per
 * rotation <= 1.0x, server CPU per rotation <= 0.2x.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.PeerComparison results.tsv}
 */
public final class PeerComparison {

    private static final int TARGET_CLIENTS = 16;

    /** A bound on the authority / Keycloak ratio: at least {@code bound}, or at most. */
    private record Target(double bound, boolean atLeast) {
        String verdict(double ratio) {
            boolean met = atLeast ? ratio >= bound : ratio <= bound;
            return String.format(Locale.ROOT, "%s %.1fx: %s", atLeast ? ">=" : "<=", bound, met ? "**met**" : "**not met**");
        }
    }

    private final Map<String, String[]> cells = new HashMap<>();

    private PeerComparison(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split("\t");
            cells.put(f[0] + "/" + f[1] + "/" + f[2], f); // system/phase/clients or sessions
        }
    }

    public static void main(String[] args) throws Exception {
        new PeerComparison(Files.readAllLines(Path.of(args[0]))).print();
    }

    private void print() {
        System.out.println("| measure | Keycloak | authority | authority / Keycloak | target |");
        System.out.println("|---|---:|---:|---:|---|");
        for (String clients : List.of("1", String.valueOf(TARGET_CLIENTS))) {
            boolean targeted = clients.equals(String.valueOf(TARGET_CLIENTS));
            row("rotations/s, " + clients + " client(s)", "rotation", clients, 3, targeted ? new Target(3, true) : null);
            row("p50 ms, " + clients + " client(s)", "rotation", clients, 4, null);
            row("p99 ms, " + clients + " client(s)", "rotation", clients, 5, null);
            row("server CPU us per rotation, " + clients + " client(s)", "rotation", clients, 7,
                    targeted ? new Target(0.2, false) : null);
            row("PostgreSQL CPU us per rotation, " + clients + " client(s)", "rotation", clients, 8,
                    targeted ? new Target(1.0, false) : null);
        }
        for (String clients : checkClients()) {
            row("token checks/s (introspection vs Validate), " + clients + " clients", "checks", clients, 3, null);
            row("token check p50 ms, " + clients + " clients", "checks", clients, 4, null);
            row("token check p99 ms, " + clients + " clients", "checks", clients, 5, null);
            row("token check server CPU us per check, " + clients + " clients", "checks", clients, 7, null);
        }
        for (String key : cells.keySet().stream().filter(k -> k.contains("/logout/")).map(k -> k.split("/")[2])
                .distinct().sorted((a, b) -> Integer.parseInt(a) - Integer.parseInt(b)).toList()) {
            row("force logout of " + String.format(Locale.ROOT, "%,d", Integer.parseInt(key)) + " sessions, median ms",
                    "logout", key, 3, null);
        }
    }

    /** Whole numbers from 100 up, else two decimals. */
    private static String figure(String value) {
        double v = Double.parseDouble(value);
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.2f", v);
    }

    private List<String> checkClients() {
        return cells.keySet().stream().filter(k -> k.contains("/checks/")).map(k -> k.split("/")[2]).distinct()
                .toList();
    }

    /** One measure: both systems' figures, the ratio, and the verdict when {@code target} is not null. */
    private void row(String measure, String phase, String key, int field, Target target) {
        String[] keycloak = cells.get("keycloak/" + phase + "/" + key);
        String[] ours = cells.get("authority/" + phase + "/" + key);
        String k = keycloak == null ? "-" : figure(keycloak[field]);
        String a = ours == null ? "-" : figure(ours[field]);
        String ratio = "-";
        String verdict = target == null ? "-" : "not measured";
        if (keycloak != null && ours != null) {
            double r = Double.parseDouble(ours[field]) / Double.parseDouble(keycloak[field]);
            ratio = String.format(Locale.ROOT, "%.2fx", r);
            if (target != null) {
                verdict = target.verdict(r);
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", measure, k, a, ratio, verdict);
    }
}
