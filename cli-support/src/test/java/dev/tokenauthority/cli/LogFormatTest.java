package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogFormatTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogFormatTest.class);

    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        LogFormat.TEXT.apply();
    }

    @Test
    void textIsTheDefaultAndEachLineStartsWithAnIsoTimestampInUtc() {
        String line = logged(() -> LOG.atInfo().addKeyValue("method", "A/B").addKeyValue("status", "OK")
                .log("hello {}", "world"));
        assertThat(line).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO  \\[main\\] "
                + LogFormatTest.class.getName() + " - hello world method=\"A/B\" status=\"OK\"\n");
        assertThat(logged(() -> LOG.warn("no fields"))).endsWith(" - no fields\n");
    }

    @Test
    void jsonIsOneObjectPerLineWithTimeLevelLoggerMessageFieldsAndTheException() throws Exception {
        LogFormat.JSON.apply();
        Instant before = Instant.now();
        String output = logged(() -> LOG.atWarn().addKeyValue("duration_ms", 1.5).addKeyValue("message", "shadowed")
                .addKeyValue("client_id", (Object) null).setCause(new IllegalStateException("boom"))
                .log("a \"quoted\"\nmessage\twith\\ controls \u0001"));

        assertThat(output).endsWith("\n").hasLineCount(1);
        Map<String, Object> json = JSONObjectUtils.parse(output);
        assertThat(Instant.parse((String) json.get("time"))).isBetween(before.minus(Duration.ofMillis(1)), Instant.now());
        assertThat(json).containsEntry("level", "WARN")
                .containsEntry("logger", LogFormatTest.class.getName())
                .containsEntry("thread", "main")
                .containsEntry("message", "a \"quoted\"\nmessage\twith\\ controls \u0001")
                .containsEntry("duration_ms", 1.5)
                .containsEntry("kv_message", "shadowed")
                .containsEntry("client_id", null);
        assertThat((String) json.get("exception")).startsWith("java.lang.IllegalStateException: boom")
                .contains("at " + LogFormatTest.class.getName());
    }

    @Test
    void grpcsReportOfARequestItAnsweredWithAStatusIsDroppedButAnyOtherFailureOfItsTransportIsLogged() {
        Logger executor = LoggerFactory.getLogger("io.grpc.internal.SerializingExecutor");

        String answered = logged(() -> executor.error("Exception while executing runnable",
                io.grpc.Status.INTERNAL.withDescription("Invalid protobuf byte sequence").asRuntimeException()));
        String bug = logged(() -> executor.error("Exception while executing runnable",
                new IllegalStateException("a bug")));

        assertThat(answered).isEmpty();
        assertThat(bug).contains("Exception while executing runnable", "IllegalStateException: a bug");
    }

    private String logged(Runnable logging) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(originalErr);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
