package dev.tokenauthority.authority.config;

import static dev.tokenauthority.authority.testing.LocalPorts.accepts;
import static dev.tokenauthority.authority.testing.LocalPorts.freePort;
import static dev.tokenauthority.authority.testing.LocalPorts.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.Eventually;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authority-server serve} as operators run it: a child JVM on a real port, stopped with
 * SIGTERM. Each launch costs seconds, so the demo lifecycle (serve, drain, restart) shares one data
 * directory across two launches and the environment gets a third.
 */
class ServeCommandProcessTest {

    /** Start-up includes JVM boot, migrations and hashing the demo passwords at production cost. */
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    /** The default --shutdown-grace (20 s) plus a margin for closing the pool and the JVM exit. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(25);
    private static final String READY_LINE = "authority listening on port";
    /** The last line --demo prints; once it is in the file, the whole block is. */
    private static final String LAST_INSTRUCTION = "tokenauthority.v1.KeyService/GetJwks";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    private record Launched(Process process, int port, Path stdout, Path stderr) {
        String out() {
            return read(stdout);
        }

        String err() {
            return read(stderr);
        }
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theDemoServerServesAliceDrainsOnSigtermLeaksNoSecretAndRestartsWithTheSameSecret() throws Exception {
        Path dataDir = dir.resolve("data");
        Path secretFile = dataDir.resolve(DemoData.SECRET_FILE);

        // (a) serve --demo: alice logs in, the secret file's secret introspects her token.
        Launched first = launchDemo(dataDir, "first");
        String secret = Files.readString(secretFile).strip();
        byte[] secretBytes = Files.readAllBytes(secretFile);
        TokenPair beforeRestart;
        ManagedChannel channel = connect(first.port());
        try {
            beforeRestart = loginAlice(channel);
            IntrospectResponse introspected = introspect(channel, secret, beforeRestart.getAccessToken());
            assertThat(introspected.getActive()).isTrue();
            assertThat(introspected.getClientId()).isEqualTo(DemoData.APP_CLIENT);
            // The sidecar serves the token's audience but is not its client and lacks introspect:email.
            assertThat(introspected.getUsername()).isEmpty();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(secret).startsWith("ta_cs_");
        Path kekFile = dataDir.resolve(StorageOptions.DEFAULT_KEK_FILE);
        byte[] kekBytes = Files.readAllBytes(kekFile);
        assertOwnerOnly(dataDir);
        assertThat(first.out()).contains("Try", "grpcurl -plaintext", "localhost:" + first.port(),
                "tokenauthority.v1.AuthService/Login", secretFile.toString());

        // (b) SIGTERM: drains and exits within the grace; neither stream carries a secret.
        long stopping = System.nanoTime();
        first.process().destroy();
        assertThat(first.process().waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as("exited within %s of SIGTERM; log:%n%s", EXIT_LIMIT, first.err()).isTrue();
        assertThat(first.process().exitValue()).as("SIGTERM is a normal stop").isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(EXIT_LIMIT);
        assertThat(first.err()).contains("shutting down");
        assertNoSecretIn(first, secret, beforeRestart, kekBytes);

        // (c) the same command again: the secret file is untouched and still accepted, old tokens still verify.
        Launched second = launchDemo(dataDir, "second");
        assertThat(Files.readAllBytes(secretFile)).isEqualTo(secretBytes);
        assertThat(Files.readAllBytes(kekFile)).as("the generated KEK is kept, not replaced").isEqualTo(kekBytes);
        channel = connect(second.port());
        try {
            assertThat(introspect(channel, secret, loginAlice(channel).getAccessToken()).getActive()).isTrue();
            assertThat(introspect(channel, secret, beforeRestart.getAccessToken()).getActive())
                    .as("a token from before the restart").isTrue();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        second.process().destroy();
        assertThat(second.process().waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertNoSecretIn(second, secret, beforeRestart, kekBytes);
        assertOwnerOnly(dataDir);
    }

    @Test
    void thePortsDemoModeAndJsonLogsCanComeFromTheEnvironmentAlone() throws Exception {
        Path dataDir = dir.resolve("env-data");
        int port = freePort();
        int metricsPort = freePort();
        int webPort = freePort();

        Launched launched = launch("env", port, Map.of(
                        "TOKENAUTHORITY_GRPC_PORT", Integer.toString(port),
                        "TOKENAUTHORITY_METRICS_PORT", Integer.toString(metricsPort),
                        "TOKENAUTHORITY_WEB_PORT", Integer.toString(webPort),
                        "TOKENAUTHORITY_LOG_FORMAT", "json",
                        "TOKENAUTHORITY_DEMO", "true"),
                "serve", "--data-dir", dataDir.toString());

        assertThat(launched.err()).contains(READY_LINE + " " + port);
        assertThat(launched.out()).contains("localhost:" + port);
        ManagedChannel channel = connect(port);
        TokenPair alice;
        String secret = Files.readString(dataDir.resolve(DemoData.SECRET_FILE)).strip();
        try {
            alice = loginAlice(channel);
            assertThat(introspect(channel, secret, alice.getAccessToken()).getActive()).isTrue();
            assertThat(httpGet(metricsPort, "/metrics").body())
                    .contains("tokenauthority_logins_total{outcome=\"success\"} 1.0");
            assertThat(httpGet(webPort, "/healthz").statusCode()).isEqualTo(200);
            assertThat(httpGet(webPort, "/readyz").statusCode()).isEqualTo(200);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        launched.process().destroy();
        assertThat(launched.process().waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // Every line of the log is a JSON object, the request log's among them.
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : launched.err().split("\n")) {
            lines.add(JSONObjectUtils.parse(line));
        }
        assertThat(lines).allSatisfy(line -> assertThat(line).containsKeys("time", "level", "logger", "message"));
        assertThat(lines).extracting(line -> line.get("method") + " " + line.get("status"))
                .contains("tokenauthority.v1.AuthService/Login OK", "tokenauthority.v1.AuthService/Introspect OK");
        for (String secretValue : List.of(secret, alice.getAccessToken(), alice.getRefreshToken(),
                DemoData.USER_PASSWORD)) {
            assertThat(launched.err()).doesNotContain(secretValue);
        }
    }

    private static HttpResponse<String> httpGet(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private Launched launchDemo(Path dataDir, String name) throws IOException {
        int port = freePort();
        return launch(name, port, Map.of(), "serve", "--demo", "--grpc-port", Integer.toString(port), "--web-port", "0",
                "--data-dir", dataDir.toString());
    }

    /** Starts the authority in a child JVM on this test's class path and waits until it serves. */
    private Launched launch(String name, int port, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                AuthorityMain.class.getName()));
        command.addAll(List.of(args));
        Launched launched = new Launched(null, port, dir.resolve(name + ".out"), dir.resolve(name + ".err"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(launched.stdout().toFile())
                .redirectError(launched.stderr().toFile());
        // Only what the test sets may configure the child, not the variables of whoever runs the build.
        builder.environment().keySet().removeIf(key -> key.startsWith("TOKENAUTHORITY_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        launched = new Launched(process, port, launched.stdout(), launched.stderr());
        awaitReady(launched, environment.containsKey("TOKENAUTHORITY_DEMO") || command.contains("--demo"));
        return launched;
    }

    /** Bounded polling: the process logs that it listens, the port accepts and, for --demo, the instructions are out. */
    private static void awaitReady(Launched launched, boolean demo) {
        Eventually.until(STARTUP_LIMIT, "the authority to serve on port " + launched.port(), () -> {
            if (!launched.process().isAlive()) {
                fail("the authority exited with %d before serving; stderr:%n%s%nstdout:%n%s",
                        launched.process().exitValue(), launched.err(), launched.out());
            }
            return launched.err().contains(READY_LINE) && (!demo || launched.out().contains(LAST_INSTRUCTION))
                    && accepts(launched.port());
        }, () -> "stderr:\n" + launched.err());
    }

    /** The data directory 0700 and every file in it (database, trace, KEK, demo secret) 0600. */
    private static void assertOwnerOnly(Path dataDir) throws IOException {
        if (!PrivateFiles.isPosix(dataDir)) {
            return;
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dataDir)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(file -> file.getFileName().toString())
                    .contains("authority.mv.db", StorageOptions.DEFAULT_KEK_FILE, DemoData.SECRET_FILE);
            for (Path file : all) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    private static void assertNoSecretIn(Launched launched, String sidecarSecret, TokenPair tokens, byte[] kekFile) {
        String out = launched.out();
        String err = launched.err();
        String kek = new String(kekFile, java.nio.charset.StandardCharsets.US_ASCII).strip();
        for (String secret : List.of(sidecarSecret, tokens.getRefreshToken(), tokens.getAccessToken(), kek)) {
            assertThat(out).doesNotContain(secret);
            assertThat(err).doesNotContain(secret);
        }
        assertThat(out + err).doesNotContain("ta_cs_", "ta_rt_", "$argon2id$");
        // The demo passwords are public constants that --demo prints on purpose (stdout), never in the log.
        assertThat(err).doesNotContain(DemoData.USER_PASSWORD, DemoData.ADMIN_PASSWORD);
    }

    private static ManagedChannel connect(int port) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
    }

    private static TokenPair loginAlice(ManagedChannel channel) {
        return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername("alice@example.com")
                        .setPassword(DemoData.USER_PASSWORD).build());
    }

    private static IntrospectResponse introspect(ManagedChannel channel, String sidecarSecret, String token) {
        return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                        .setClientSecret(sidecarSecret).setToken(token).build());
    }
}
