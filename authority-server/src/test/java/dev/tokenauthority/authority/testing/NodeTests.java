package dev.tokenauthority.authority.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node test file of the console project ({@code authority-server/console/test}) with
 * {@code node --test} against servers the Java test started, and fails with its report unless every
 * Node test passed. The Maven build installs the console's npm packages before tests run.
 */
public final class NodeTests {

    private NodeTests() {}

    /** The console project, from authority-server/ or from a sibling module. */
    public static Path consoleDir() {
        for (Path candidate : List.of(Path.of("console"), Path.of("../authority-server/console"))) {
            if (Files.isDirectory(candidate.resolve("node_modules"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return fail("authority-server/console/node_modules is missing: run the Maven build (it runs npm install)");
    }

    /** Runs {@code node --test test/<file>} with {@code env}; the report goes to target/<file>.log. */
    public static void run(String file, Map<String, String> env, Duration limit) throws IOException, InterruptedException {
        Path console = consoleDir();
        Path log = console.resolve("../target/node-" + file + ".log").normalize();
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec", "test/" + file));
        ProcessBuilder builder = new ProcessBuilder(command).directory(console.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process node = builder.start();
        if (!node.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail(String.format("node --test %s did not finish within %s:%n%s", file, limit,
                    Files.readString(log, StandardCharsets.UTF_8)));
        }
        String report = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(report);
        assertThat(node.exitValue()).as("node --test %s:%n%s", file, report).isZero();
    }
}
