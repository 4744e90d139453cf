package dev.tokenauthority.authority.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.testing.PrometheusTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operations/alerts.yml is valid Prometheus rule syntax, and its unit tests (alerts.test.yml: every rule both
 * firing and not) pass, as Prometheus's own promtool judges them.
 */
class AlertRulesTest {

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = PrometheusTools.require("promtool");
        Path docs = PrometheusTools.operationsDocs();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(docs.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
        return output;
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertRuleFiresWhenItShouldAndOnlyThen() throws Exception {
        assertThat(promtool("test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    /** Without this, a new rule with no test, or tested only firing, would pass the promtool run above. */
    @Test
    void everyAlertRuleIsTestedBothFiringAndNotFiring() throws Exception {
        Path docs = PrometheusTools.operationsDocs();
        Set<String> rules = new TreeSet<>();
        Matcher alert = Pattern.compile("(?m)^\\s*- alert: (\\S+)$")
                .matcher(Files.readString(docs.resolve("alerts.yml")));
        while (alert.find()) {
            rules.add(alert.group(1));
        }
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        List<String> lines = Files.readAllLines(docs.resolve("alerts.test.yml"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            Matcher tested = Pattern.compile("^\\s*alertname: (\\S+)$").matcher(lines.get(i));
            if (tested.matches()) {
                (lines.get(i + 1).strip().equals("exp_alerts: []") ? quiet : firing).add(tested.group(1));
            }
        }
        assertThat(rules).hasSizeGreaterThanOrEqualTo(9);
        assertThat(firing).as("rules tested firing").isEqualTo(rules);
        assertThat(quiet).as("rules tested not firing").isEqualTo(rules);
    }
}
