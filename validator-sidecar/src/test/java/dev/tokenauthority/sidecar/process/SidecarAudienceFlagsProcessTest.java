package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.SidecarMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar JVM must be told which audiences it accepts: without --audience or --any-audience, or with both, it exits
 * at once with a usage error naming the flags, before it listens or contacts the authority.
 */
class SidecarAudienceFlagsProcessTest {

    private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSidecarWithNeitherAudienceFlagRefusesToStartAndNamesBoth() throws Exception {
        int port = ChildProcess.freePort();
        try (ChildProcess sidecar = ChildProcess.launch(dir, "no-audience", SidecarMain.class, args(port, List.of()))) {
            assertThat(sidecar.awaitOwnExit(EXIT_LIMIT)).as(sidecar.output()).isEqualTo(2);
            assertThat(sidecar.log()).contains("an audience is required", "--audience", "--any-audience");
            assertThat(ChildProcess.accepts(port)).isFalse();
        }
    }

    @Test
    void aSidecarWithBothAudienceFlagsIsAUsageError() throws Exception {
        int port = ChildProcess.freePort();
        try (ChildProcess sidecar = ChildProcess.launch(dir, "both", SidecarMain.class,
                args(port, List.of("--audience", "demo-api", "--any-audience")))) {
            assertThat(sidecar.awaitOwnExit(EXIT_LIMIT)).as(sidecar.output()).isEqualTo(2);
            assertThat(sidecar.log()).contains("--audience and --any-audience exclude each other");
        }
    }

    private List<String> args(int port, List<String> audienceFlags) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "ta_cs_unused");
        // Nothing listens on the authority's port: a sidecar that got past its flags would still start and listen.
        List<String> args = new ArrayList<>(List.of("--authority", "127.0.0.1:" + ChildProcess.freePort(),
                "--grpc-port", Integer.toString(port), "--issuer", LoopbackCluster.ISSUER,
                "--client-id", "demo-sidecar", "--client-secret-file", secret.toString()));
        args.addAll(audienceFlags);
        return args;
    }
}
