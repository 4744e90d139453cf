package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.fail;

import dev.tokenauthority.authority.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL primary and a hot standby streaming from it, each a cluster of its own in a
 * temporary directory on a free loopback port: {@code initdb} the primary (wal_level=replica, trust
 * auth, replication allowed from loopback), {@code pg_basebackup -R} it into the standby (with a fast
 * checkpoint: a spread one takes minutes after CREATE DATABASE), start both.
 * Closing stops both ({@code pg_ctl stop -m immediate}) and deletes the directory.
 *
 * <p>PostgreSQL refuses to run as root, so as root every command runs as the {@code postgres} user
 * ({@code runuser}), which owns the directory. Binaries from {@code TOKENAUTHORITY_TEST_PG_BIN}
 * (default {@value #DEFAULT_BIN}). When the clusters cannot be made, the test fails under CI=true and
 * is skipped, with the reason, elsewhere.
 */
final class PostgresStandby implements AutoCloseable {

    static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
    static final String DATABASE = "authority";
    private static final String USER = "postgres";
    /** What one command (initdb, pg_basebackup, pg_ctl start) may take. */
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

    private final Path bin;
    private final Path dir;
    private final boolean asPostgres;
    final int primaryPort;
    final int standbyPort;
    private final List<Path> running = new ArrayList<>();

    private PostgresStandby(Path bin, Path dir, boolean asPostgres, int primaryPort, int standbyPort) {
        this.bin = bin;
        this.dir = dir;
        this.asPostgres = asPostgres;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** Both clusters running, the standby streaming from the primary, database {@value #DATABASE} on both. */
    static PostgresStandby start() {
        Path bin = Path.of(System.getenv().getOrDefault("TOKENAUTHORITY_TEST_PG_BIN", DEFAULT_BIN));
        PostgresStandby clusters = null;
        try {
            if (!Files.isExecutable(bin.resolve("initdb"))) {
                throw new IOException("no PostgreSQL binaries in " + bin + " (set TOKENAUTHORITY_TEST_PG_BIN)");
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory("pg-standby");
            clusters = new PostgresStandby(bin, dir, root, ChildProcess.freePort(), ChildProcess.freePort());
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
                Files.setOwner(dir, postgres);
            }
            clusters.makeAndStart();
            return clusters;
        } catch (IOException | SQLException | RuntimeException e) {
            if (clusters != null) {
                clusters.close();
            }
            String reason = "cannot make a PostgreSQL primary and hot standby: " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + " (CI=true: failing, not skipping)", e);
            }
            Assumptions.abort(reason);
            throw new AssertionError("unreachable");
        }
    }

    private void makeAndStart() throws IOException, SQLException {
        Path primary = dir.resolve("primary");
        Path standby = dir.resolve("standby");
        run("initdb", "-D", primary.toString(), "-U", USER, "--auth=trust", "--no-sync");
        Files.writeString(primary.resolve("postgresql.conf"), """

                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                wal_level = replica
                max_wal_senders = 4
                fsync = off
                """.formatted(primaryPort, dir), StandardOpenOption.APPEND);
        Files.writeString(primary.resolve("pg_hba.conf"), "\nhost replication all 127.0.0.1/32 trust\n",
                StandardOpenOption.APPEND);
        startCluster(primary);
        try (Connection c = connect(primaryPort, "postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
        }
        run("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primaryPort), "-U", USER,
                "-D", standby.toString(), "-R", "-X", "stream", "--checkpoint=fast");
        // A later setting wins: the standby listens on its own port (pg_basebackup -R wrote primary_conninfo).
        Files.writeString(standby.resolve("postgresql.conf"), "\nport = %d\n".formatted(standbyPort),
                StandardOpenOption.APPEND);
        startCluster(standby);
    }

    private void startCluster(Path data) throws IOException {
        run("pg_ctl", "-D", data.toString(), "-l", data + ".log", "-w", "-t", "30", "start");
        running.add(0, data);
    }

    String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/" + DATABASE;
    }

    String standbyUrl() {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/" + DATABASE;
    }

    String user() {
        return USER;
    }

    /** Waits until the standby has replayed everything the primary had written when this was called. */
    void awaitReplayed(Duration limit) throws SQLException {
        String lsn;
        try (Connection c = connect(primaryPort, DATABASE); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()")) {
            rs.next();
            lsn = rs.getString(1);
        }
        Eventually.until(limit, "the standby to replay up to " + lsn, () -> queryBoolean(standbyPort,
                "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn"));
    }

    /** Stops the standby applying what it receives: it keeps answering reads, as of the last commit replayed. */
    void pauseReplay() throws SQLException {
        execute(standbyPort, "SELECT pg_wal_replay_pause()");
    }

    void resumeReplay() throws SQLException {
        execute(standbyPort, "SELECT pg_wal_replay_resume()");
    }

    private static void execute(int port, String sql) throws SQLException {
        try (Connection c = connect(port, DATABASE); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static boolean queryBoolean(int port, String sql) {
        try (Connection c = connect(port, DATABASE); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Connection connect(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, "");
    }

    /** Runs one PostgreSQL command (as postgres when this is root), failing with its output. */
    private void run(String command, String... args) throws IOException {
        List<String> line = new ArrayList<>();
        if (asPostgres) {
            line.addAll(List.of("runuser", "-u", USER, "--"));
        }
        line.add(bin.resolve(command).toString());
        line.addAll(List.of(args));
        Path output = Files.createTempFile("pg-standby-" + command, ".out");
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(dir.toFile()).start();
            if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish within " + COMMAND_LIMIT);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", line) + " exited with " + process.exitValue() + ": "
                        + Files.readString(output).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Stops both clusters, standby first, without a checkpoint, and deletes their directory. */
    @Override
    public void close() {
        for (Path data : List.copyOf(running)) {
            try {
                run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            } catch (IOException e) {
                System.err.println("could not stop the cluster in " + data + ": " + e.getMessage());
            }
        }
        running.clear();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
