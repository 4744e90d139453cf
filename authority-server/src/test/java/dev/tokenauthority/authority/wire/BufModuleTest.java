package dev.tokenauthority.authority.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire API as a buf module (proto/buf.yaml): {@code buf lint} passes, and {@code buf breaking}
 * finds nothing wire- or JSON-incompatible with the released API ({@code proto/api-baseline.binpb},
 * a committed {@code buf build} image, so a shallow clone without tags checks the same). A copy of
 * the module with a field removed proves the check can fail.
 *
 * <p>buf comes from PATH, from {@code .ci/node} (where {@code .ci/run} installs it) or from the
 * console's {@code node_modules} (the build installs it there to generate the console's stubs).
 * Without it the test is skipped, and fails under {@code CI=true}.
 */
class BufModuleTest {

    /** The test runs in authority-server/; the module is beside it. */
    private static final Path MODULE = Path.of("..", "proto").toAbsolutePath().normalize();
    private static final List<Path> BUF_DIRS = List.of(
            Path.of("..", ".ci", "node", "node_modules", ".bin").toAbsolutePath().normalize(),
            Path.of("console", "node_modules", ".bin").toAbsolutePath());

    @TempDir
    Path dir;

    @Test
    void theModulePassesBufLint() throws Exception {
        Result lint = buf(MODULE, "lint");
        assertThat(lint.exitCode()).as("buf lint:%n%s", lint.output()).isZero();
    }

    @Test
    void theApiHasNoWireOrJsonBreakAgainstTheReleasedBaseline() throws Exception {
        Result breaking = buf(MODULE, "breaking", "--against", "api-baseline.binpb");
        assertThat(breaking.exitCode()).as("buf breaking:%n%s", breaking.output()).isZero();
    }

    @Test
    void removingAFieldFailsTheBreakingCheck() throws Exception {
        Path copy = copyOfModule();
        Path admin = copy.resolve("src/main/proto/tokenauthority/v1/admin.proto");
        String proto = Files.readString(admin);
        String field = "  int64 revoked_count = 2;\n";
        assertThat(proto).contains(field);
        Files.writeString(admin, proto.replace(field, ""));

        Result breaking = buf(copy, "breaking", "--against", "api-baseline.binpb");

        assertThat(breaking.exitCode()).as("buf breaking:%n%s", breaking.output()).isNotZero();
        assertThat(breaking.output()).contains("\"revoked_count\"", "BatchRevokeTokensResponse", "was deleted");
    }

    private Path copyOfModule() throws IOException {
        Path copy = dir.resolve("proto");
        try (Stream<Path> files = Stream.concat(
                Stream.of(MODULE.resolve("buf.yaml"), MODULE.resolve("api-baseline.binpb")),
                Files.walk(MODULE.resolve("src/main/proto")).filter(Files::isRegularFile))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(MODULE.relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }

    private record Result(int exitCode, String output) {
    }

    private Result buf(Path workingDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bufExecutable().toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "buf", ".out");
        Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("buf %s did not finish within 120 s", String.join(" ", args));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static Path bufExecutable() {
        Stream<Path> onPath = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).map(Path::of);
        Optional<Path> buf = Stream.concat(onPath, BUF_DIRS.stream()).map(d -> d.resolve("buf"))
                .filter(Files::isExecutable).findFirst();
        if (buf.isEmpty()) {
            String why = "buf is not on PATH, in .ci/node or in the console's node_modules; .ci/run installs it with npm";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " and CI=true, so the API checks must run");
            }
            Assumptions.abort(why);
        }
        return buf.get();
    }
}
