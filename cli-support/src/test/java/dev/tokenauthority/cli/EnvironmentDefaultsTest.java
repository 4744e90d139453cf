package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an option's long name becomes the environment variable that sets it (each command's own options are tested with it). */
class EnvironmentDefaultsTest {

    @Test
    void theVariableForAnOptionIsThePrefixPlusItsNameInUpperSnakeCase() {
        EnvironmentDefaults defaults = new EnvironmentDefaults("TOKENAUTHORITY_", Map.of());

        assertThat(defaults.variableFor("--max-access-token-ttl")).isEqualTo("TOKENAUTHORITY_MAX_ACCESS_TOKEN_TTL");
        assertThat(defaults.variableFor("--demo")).isEqualTo("TOKENAUTHORITY_DEMO");
    }
}
