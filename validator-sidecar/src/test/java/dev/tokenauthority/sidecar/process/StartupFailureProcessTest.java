package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.config.AuthorityMain;
import dev.tokenauthority.authority.config.KeyEncryptionKeyFile;
import dev.tokenauthority.sidecar.SidecarMain;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authority and the sidecar as operators start them, given what a newcomer gets wrong: each refuses with exit
 * status 2 and one line that names the flag or the port and says what to do, without a stack trace (unless
 * --verbose), and an unreachable database within ten seconds, each retry on a line of its own.
 */
class StartupFailureProcessTest {

    /** JVM boot on a loaded machine, plus the database's retries for the cases that have them. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);
    /** How soon an unreachable database must be reported, from the process's start. */
    private static final Duration UNREACHABLE_LIMIT = Duration.ofSeconds(10);
    /** Log lines start with their ISO-8601 time; the refusal is the one line that does not. */
    private static final String LOG_LINE = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*";

    @TempDir
    Path dir;

    @Test
    void anAuthorityWhoseGrpcPortIsTakenNamesThePortAndTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            String port = Integer.toString(taken.getLocalPort());

            String refusal = refusedAuthority("busy", "--grpc-port", port);

            assertThat(refusal).contains("--grpc-port " + port, "already in use", "TOKENAUTHORITY_GRPC_PORT");
        }
    }

    @Test
    void withVerboseTheRefusalIsFollowedByItsStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            try (ChildProcess authority = authority("verbose", "--grpc-port",
                    Integer.toString(taken.getLocalPort()), "--verbose")) {
                assertThat(authority.awaitOwnExit(EXIT_LIMIT)).as(authority.output()).isEqualTo(2);
                assertThat(authority.log()).contains("already in use", "\tat ", "Caused by");
            }
        }
    }

    @Test
    void anAuthorityGivenAUrlOfNoSupportedDatabaseNamesDbUrl() throws Exception {
        String refusal = refusedAuthority("bad-url", "--db-url", "postgres://db.example/authority");

        assertThat(refusal).contains("--db-url \"postgres://db.example/authority\"", "jdbc:postgresql://",
                "TOKENAUTHORITY_DB_URL");
    }

    @Test
    void anUnreachableDatabaseIsReportedWithinTenSecondsWithEachRetryShown() throws Exception {
        int closed = ChildProcess.freePort();
        long started = System.nanoTime();

        String refusal = refusedAuthority("unreachable", "--db-url", "jdbc:postgresql://127.0.0.1:" + closed + "/authority",
                "--key-encryption-key-file", kek().toString());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(UNREACHABLE_LIMIT);
        assertThat(refusal).contains("connection refused", "127.0.0.1:" + closed, "--db-url", "start the database");
        assertThat(logOf("unreachable")).contains("the database does not answer yet (connection refused); attempt 1");
    }

    @Test
    void aSigtermWhileTheAuthorityStillWaitsForItsDatabaseIsANormalStop() throws Exception {
        try (ChildProcess authority = authority("sigterm-starting", "--db-url",
                "jdbc:postgresql://127.0.0.1:" + ChildProcess.freePort() + "/authority",
                "--key-encryption-key-file", kek().toString())) {
            authority.await(EXIT_LIMIT, "the first retry", () -> authority.log().contains("does not answer yet"));

            authority.signalTerminate();

            assertThat(authority.awaitOwnExit(EXIT_LIMIT)).as(authority.output()).isZero();
            assertThat(authority.log()).contains("SIGTERM while starting").doesNotContain("cannot open the database");
        }
    }

    @Test
    void anH2FileAnotherProcessHoldsOpenIsNamedAsInUse() throws Exception {
        Path dataDir = dir.resolve("held");
        Files.createDirectories(dataDir);
        try (Connection holder = DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("authority"),
                "sa", "")) {
            String refusal = refusedAuthority("locked", "--data-dir", dataDir.toString());

            assertThat(refusal).contains("in use by another process", "--data-dir");
        }
    }

    @Test
    void missingSecretFilesAreNamedWithTheirFlags() throws Exception {
        Path missing = dir.resolve("no-such-file");

        assertThat(refusedAuthority("no-db-password", "--db-url", "jdbc:postgresql://127.0.0.1:5432/authority",
                "--db-password-file", missing.toString(), "--key-encryption-key-file", kek().toString()))
                .contains("--db-password-file " + missing, "no such file", "TOKENAUTHORITY_DB_PASSWORD_FILE");
        assertThat(refusedAuthority("no-admin-password", "--bootstrap-admin-email", "admin@example.com",
                "--bootstrap-admin-password-file", missing.toString()))
                .contains("--bootstrap-admin-password-file " + missing, "no such file");
        assertThat(refusedSidecar("no-client-secret", "--authority", "127.0.0.1:7070", "--client-secret-file",
                missing.toString()))
                .contains("--client-secret-file " + missing, "no such file", "TOKENAUTHORITY_SIDECAR_CLIENT_SECRET_FILE");
    }

    @Test
    void aTokenRetentionOfZeroOrLessIsRefusedNamingTheFlag() throws Exception {
        assertThat(refusedAuthority("retention-zero", "--token-retention", "0"))
                .contains("--token-retention must be positive", "TOKENAUTHORITY_TOKEN_RETENTION");
        assertThat(refusedAuthority("retention-negative", "--token-retention", "-1d"))
                .contains("--token-retention", "'-1d' is negative");
    }

    @Test
    void aSidecarGivenAnAuthorityWithoutAPortSaysToAddIt() throws Exception {
        assertThat(refusedSidecar("no-port", "--authority", "authority.example", "--client-secret-file",
                secret().toString()))
                .contains("--authority", "\"authority.example\" without a port", "authority.example:7070");
    }

    @Test
    void aSidecarWhosePortsAreTakenNamesEachPortAndItsFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            List<String> common = List.of("--authority", "127.0.0.1:" + ChildProcess.freePort(),
                    "--client-secret-file", secret().toString());

            assertThat(refusedSidecar("busy-grpc", with(common, "--grpc-port", port)))
                    .contains("--grpc-port " + port, "already in use", "TOKENAUTHORITY_SIDECAR_GRPC_PORT");
            assertThat(refusedSidecar("busy-metrics", with(with(common, "--grpc-port", "0"), "--metrics-port", port)))
                    .contains("--metrics-port " + port, "already in use");
        }
    }

    private static List<String> with(List<String> args, String flag, String value) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(flag, value));
        return all;
    }

    /** The authority with {@code flags}, and defaults for the others that keep it off fixed ports and in this test's directory. */
    private ChildProcess authority(String name, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(List.of(flags));
        for (List<String> fallback : List.of(List.of("--grpc-port", "0"), List.of("--web-port", "0"),
                List.of("--data-dir", dir.resolve(name).toString()))) {
            if (!args.contains(fallback.get(0))) {
                args.addAll(fallback);
            }
        }
        return ChildProcess.launch(dir, name, AuthorityMain.class, args);
    }

    private String refusedAuthority(String name, String... flags) throws Exception {
        try (ChildProcess authority = authority(name, flags)) {
            return refusal(authority);
        }
    }

    private String refusedSidecar(String name, String... flags) throws Exception {
        return refusedSidecar(name, List.of(flags));
    }

    private String refusedSidecar(String name, List<String> flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--issuer", LoopbackCluster.ISSUER, "--audience", "demo-api",
                "--client-id", "demo-sidecar"));
        args.addAll(flags);
        try (ChildProcess sidecar = ChildProcess.launch(dir, name, SidecarMain.class, args)) {
            return refusal(sidecar);
        }
    }

    /** Exit status 2, no stack trace, and the one line that is not a log line; returns that line. */
    private static String refusal(ChildProcess child) throws InterruptedException {
        assertThat(child.awaitOwnExit(EXIT_LIMIT)).as(child.output()).isEqualTo(2);
        String log = child.log();
        assertThat(log).as(child.output()).doesNotContain("\tat ", "Exception");
        List<String> refusals = log.lines().filter(line -> !line.matches(LOG_LINE)).toList();
        assertThat(refusals).as(child.output()).hasSize(1);
        assertThat(refusals.get(0)).matches("^(authority-server serve|validator-sidecar): .+");
        return refusals.get(0);
    }

    private String logOf(String name) throws Exception {
        return Files.readString(dir.resolve(name + ".err"));
    }

    private Path kek() throws Exception {
        Path file = dir.resolve("test.kek");
        if (!Files.exists(file)) {
            KeyEncryptionKeyFile.generate(file);
        }
        return file;
    }

    private Path secret() throws Exception {
        return Files.writeString(dir.resolve("client.secret"), "ta_cs_not_checked_before_start");
    }
}
