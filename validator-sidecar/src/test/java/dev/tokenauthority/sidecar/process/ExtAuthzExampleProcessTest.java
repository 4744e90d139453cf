package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.ExampleTools;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * admin-grpcurl-examples/sidecar/ext-authz-check.sh, Envoy's ext_authz Check called by hand, against a demo authority
 * and a sidecar as child processes, with {@code buf curl} (server reflection on the sidecar) as the client.
 */
@ExtendWith(ClusterExtension.class)
class ExtAuthzExampleProcessTest {

    /** The test runs in validator-sidecar/; the example lives beside it. */
    private static final Path EXAMPLE = Path.of("..", "admin-grpcurl-examples", "sidecar", "ext-authz-check.sh")
            .toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theExtAuthzExampleRunsAgainstASidecarWithBufCurl(LoopbackCluster cluster) throws Exception {
        String path = ExampleTools.pathWithBuf();
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo"));
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of());
        sidecar.awaitServing();

        Path output = dir.resolve("example.out");
        ProcessBuilder builder = new ProcessBuilder("bash", EXAMPLE.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(Map.of(
                "PATH", path,
                "TA_CLIENT", "buf",
                "TA_TARGET", "127.0.0.1:" + authority.port,
                "TA_SIDECAR_TARGET", "127.0.0.1:" + sidecar.port,
                "TA_STATE_DIR", dir.resolve("state").toString(),
                "TA_USER_PASSWORD", DemoData.USER_PASSWORD,
                "TA_ADMIN_PASSWORD", DemoData.ADMIN_PASSWORD));
        Process example = builder.start();
        boolean finished = example.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            example.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(finished).as("the example finished within 120 s:%n%s", out).isTrue();
        assertThat(example.exitValue()).as("the example's output:%n%s", out).isZero();
        assertThat(out).contains("ok: the session for the upstream", "ok: UNAUTHENTICATED, HTTP 401",
                "ok: PERMISSION_DENIED, HTTP 403").doesNotContain("FAIL");
    }
}
