package dev.tokenauthority.authority.examples;

import static dev.tokenauthority.authority.testing.LocalPorts.accepts;
import static dev.tokenauthority.authority.testing.LocalPorts.freePort;
import static dev.tokenauthority.authority.testing.LocalPorts.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tokenauthority.authority.config.AuthorityMain;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.ExampleTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps admin-grpcurl-examples/ honest: starts {@code serve --demo} on H2 in a child JVM (as
 * {@code ServeCommandProcessTest} does) and runs every example through {@code run-all.sh} with
 * {@code buf curl} as the client, so an example that drifts from the API fails the build. The
 * examples show grpcurl commands; {@code buf curl} sends the same method and JSON body over gRPC,
 * using the same server reflection.
 *
 * <p>Needs bash, node and buf ({@code .ci/run} installs {@code @bufbuild/buf} into
 * {@code .ci/node}). Without them the test is skipped, and fails under {@code CI=true}.
 */
class GrpcurlExamplesTest {

    /** Start-up includes JVM boot, migrations and hashing the demo passwords at production cost. */
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    /** About sixty calls of about a second each (buf curl reflects per call), with room to spare. */
    private static final Duration EXAMPLES_LIMIT = Duration.ofMinutes(5);
    private static final String READY_LINE = "authority listening on port";
    /** The last line --demo prints; once it is in the file, the demo data is in place. */
    private static final String LAST_INSTRUCTION = "tokenauthority.v1.KeyService/GetJwks";
    /** The test runs in authority-server/; the examples live beside it. */
    private static final Path EXAMPLES = Path.of("..", "admin-grpcurl-examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void everyAdminExampleRunsAgainstADemoAuthorityWithBufCurl() throws Exception {
        String path = ExampleTools.pathWithBuf();
        int port = freePort();
        startDemoAuthority(port);

        Path output = dir.resolve("run-all.out");
        ProcessBuilder builder = new ProcessBuilder("bash", EXAMPLES.resolve("run-all.sh").toString())
                .directory(EXAMPLES.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("PATH", path);
        builder.environment().put("TA_CLIENT", "buf");
        builder.environment().put("TA_TARGET", "127.0.0.1:" + port);
        builder.environment().put("TA_STATE_DIR", dir.resolve("state").toString());
        builder.environment().remove("TA_QUIET");
        Process examples = builder.start();
        processes.add(examples);

        boolean finished = examples.waitFor(EXAMPLES_LIMIT.toSeconds(), TimeUnit.SECONDS);
        String out = read(output);
        assertThat(finished).as("run-all.sh finished within %s; output so far:%n%s", EXAMPLES_LIMIT, out).isTrue();
        String report = String.format("run-all.sh output:%n%s%nthe authority's log, last lines:%n%s", out,
                lastLines(read(dir.resolve("authority.err")), 40));
        assertThat(examples.exitValue()).as("%s", report).isZero();
        assertThat(lastLines(out, 1)).as("%s", report).matches("\\d+ passed, 0 failed");
    }

    /** {@code serve --demo} on H2 in a child JVM on this test's class path; returns once it serves. */
    private void startDemoAuthority(int port) throws IOException {
        Path stdout = dir.resolve("authority.out");
        Path stderr = dir.resolve("authority.err");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                AuthorityMain.class.getName(),
                "serve", "--demo", "--grpc-port", Integer.toString(port), "--web-port", "0",
                "--data-dir", dir.resolve("data").toString())
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // Only the command line configures the child, not the variables of whoever runs the build.
        builder.environment().keySet().removeIf(key -> key.startsWith("TOKENAUTHORITY_"));
        Process process = builder.start();
        processes.add(process);

        Eventually.until(STARTUP_LIMIT, "the authority to serve on port " + port, () -> {
            if (!process.isAlive()) {
                fail("the authority exited with %d before serving; stderr:%n%s", process.exitValue(), read(stderr));
            }
            return read(stderr).contains(READY_LINE) && read(stdout).contains(LAST_INSTRUCTION) && accepts(port);
        }, () -> "stderr:\n" + read(stderr));
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
