package dev.tokenauthority.authority.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} package: {@code promtool} and the {@code prometheus} server, which tests run as real
 * processes. CI installs the package (.ci/run): there a missing one fails the test; elsewhere the test is skipped,
 * saying what to install.
 */
public final class PrometheusTools {

    private static final List<Path> BIN_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"));

    private PrometheusTools() {}

    /** The executable {@code name} ("promtool", "prometheus"), or the test fails (CI) or is skipped (elsewhere). */
    public static Path require(String name) {
        for (Path dir : BIN_DIRECTORIES) {
            Path candidate = dir.resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String missing = name + " is not installed: apt-get install prometheus (Debian's package; .ci/run installs it)";
        if ("true".equals(System.getenv("CI"))) {
            fail(missing);
        }
        Assumptions.assumeTrue(false, missing);
        return null;
    }

    /** The repository's docs/operations directory, from a module directory (where Maven runs tests). */
    public static Path operationsDocs() {
        for (Path candidate : List.of(Path.of("../docs/operations"), Path.of("docs/operations"))) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return fail("docs/operations not found from " + Path.of("").toAbsolutePath());
    }
}
