package dev.tokenauthority.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --audience and --any-audience, from flags and from the environment, and the refusal of neither and of both. */
class SidecarAudienceOptionsTest {

    private static final List<String> REQUIRED = List.of("--authority", "127.0.0.1:1", "--issuer", "https://iss.test",
            "--client-id", "demo-sidecar", "--client-secret-file", "/nonexistent/secret");

    private static AcceptedAudiences parse(Map<String, String> environment, String... flags) {
        CommandLine command = SidecarMain.commandLine(environment);
        command.parseArgs(withRequired(flags));
        return command.<SidecarMain>getCommand().acceptedAudiences();
    }

    private static String[] withRequired(String... flags) {
        List<String> args = new ArrayList<>(REQUIRED);
        args.addAll(List.of(flags));
        return args.toArray(String[]::new);
    }

    @Test
    void audienceIsRepeatableAndCommaSeparated() {
        assertThat(parse(Map.of(), "--audience", "orders-api")).isEqualTo(AcceptedAudiences.anyOf("orders-api"));
        assertThat(parse(Map.of(), "--audience", "orders-api,billing-api", "--audience", "shipping-api"))
                .isEqualTo(AcceptedAudiences.anyOf("orders-api", "billing-api", "shipping-api"));
        assertThat(parse(Map.of(), "--audience", "orders-api, billing-api"))
                .isEqualTo(AcceptedAudiences.anyOf("orders-api", "billing-api"));
    }

    @Test
    void anyAudienceIsTheExplicitOptOut() {
        assertThat(parse(Map.of(), "--any-audience")).isEqualTo(AcceptedAudiences.any());
    }

    @Test
    void bothCanBeSetFromTheEnvironment() {
        assertThat(parse(Map.of("TOKENAUTHORITY_SIDECAR_AUDIENCE", "orders-api,billing-api")))
                .isEqualTo(AcceptedAudiences.anyOf("orders-api", "billing-api"));
        assertThat(parse(Map.of("TOKENAUTHORITY_SIDECAR_ANY_AUDIENCE", "true"))).isEqualTo(AcceptedAudiences.any());
    }

    @Test
    void anAudienceFlagWinsOverTheAudienceVariable() {
        assertThat(parse(Map.of("TOKENAUTHORITY_SIDECAR_AUDIENCE", "orders-api"), "--audience", "billing-api"))
                .isEqualTo(AcceptedAudiences.anyOf("billing-api"));
    }

    @Test
    void neitherIsRefusedNamingBothFlags() {
        assertThatThrownBy(() -> parse(Map.of())).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--audience").hasMessageContaining("--any-audience");
    }

    @Test
    void bothAreRefusedWhereverTheyComeFrom() {
        assertThatThrownBy(() -> parse(Map.of(), "--audience", "orders-api", "--any-audience"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> parse(Map.of("TOKENAUTHORITY_SIDECAR_ANY_AUDIENCE", "true"), "--audience", "a"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("exclude each other");
    }

    @Test
    void anEmptyAudienceNameIsRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--audience", "orders-api,,billing-api"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--audience: empty");
    }

    @Test
    void theEntryPointExitsWithAUsageErrorBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        int exit = SidecarMain.commandLine(Map.of()).setErr(new PrintWriter(err)).execute(withRequired());

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("an audience is required", "--audience NAME", "--any-audience");
    }
}
