package dev.tokenauthority.sidecar.process;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.NodeTests;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin console in a real browser: the authority and a sidecar as child processes, Debian's
 * Chromium driven by playwright-core (console/test/console.browser.test.mjs). Screenshots of each
 * page land in validator-sidecar/target/console-screenshots.
 */
class AdminConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    private LoopbackCluster cluster;

    @AfterEach
    void killEveryChild() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void adminRevokesFromTheConsoleAndTheSidecarDenies() throws Exception {
        requireChromium();
        cluster = new LoopbackCluster(dir);
        int webPort = ChildProcess.freePort();
        AuthorityNode authority = cluster.startAuthority("authority", ChildProcess.freePort(), dir.resolve("data"),
                List.of("--demo", "--web-port", Integer.toString(webPort)));
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of());
        sidecar.awaitServing();

        NodeTests.run("console.browser.test.mjs", Map.of(
                "TA_WEB_URL", "http://127.0.0.1:" + webPort,
                "TA_SIDECAR_PORT", Integer.toString(sidecar.port),
                "TA_USER_PASSWORD", DemoData.USER_PASSWORD,
                "TA_ADMIN_USERNAME", DemoData.ADMIN_EMAIL,
                "TA_ADMIN_PASSWORD", DemoData.ADMIN_PASSWORD,
                "TA_SCREENSHOTS", Path.of("target/console-screenshots").toAbsolutePath().toString()),
                Duration.ofMinutes(4));
    }

    /** CI installs Debian's chromium (.ci/run); elsewhere the test is skipped without it. */
    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(CHROMIUM + " is missing: .ci/run installs Debian's chromium package");
        }
        Assumptions.assumeTrue(false, CHROMIUM + " is not installed");
    }
}
