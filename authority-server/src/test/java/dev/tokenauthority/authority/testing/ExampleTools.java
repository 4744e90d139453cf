package dev.tokenauthority.authority.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** What the example scripts of admin-grpcurl-examples/ need to run in a test: bash, node and buf. */
public final class ExampleTools {

    /** Where .ci/run installs buf when it is not on PATH (tests run in a module's folder, beside .ci). */
    private static final Path CI_NODE_BIN = Path.of("..", ".ci", "node", "node_modules", ".bin")
            .toAbsolutePath().normalize();

    private ExampleTools() {}

    /**
     * PATH for the examples: the caller's, plus .ci/node's bin when buf is only there. Without bash, node or buf the
     * test is skipped, and fails under {@code CI=true}.
     */
    public static String pathWithBuf() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        if (onPath(path, "buf").isEmpty() && Files.isExecutable(CI_NODE_BIN.resolve("buf"))) {
            path = CI_NODE_BIN + File.pathSeparator + path;
        }
        for (String tool : List.of("bash", "node", "buf")) {
            if (onPath(path, tool).isEmpty()) {
                String why = tool + " is not on PATH (nor in " + CI_NODE_BIN + "); .ci/run installs buf with npm";
                if ("true".equals(System.getenv("CI"))) {
                    fail(why + " and CI=true, so the examples must run");
                }
                Assumptions.abort(why);
            }
        }
        return path;
    }

    private static Optional<Path> onPath(String path, String tool) {
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
