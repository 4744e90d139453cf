package dev.tokenauthority.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log event, on one line: {@code time} (ISO-8601, UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, then each key-value pair of the event as a member of its own (a pair named like
 * one of those is prefixed with {@code kv_} so that it cannot overwrite it), and {@code exception} (the stack trace as
 * one string) when there is one. Logback's own JsonEncoder writes epoch milliseconds and nests everything, which log
 * pipelines then have to unpick.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

    private static final Set<String> RESERVED = Set.of("time", "level", "logger", "thread", "message", "exception");

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(256).append('{');
        member(line, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        member(line.append(','), "level", event.getLevel().toString());
        member(line.append(','), "logger", event.getLoggerName());
        member(line.append(','), "thread", event.getThreadName());
        member(line.append(','), "message", event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                String key = RESERVED.contains(pair.key) ? "kv_" + pair.key : pair.key;
                line.append(',');
                if (pair.value instanceof Number || pair.value instanceof Boolean) {
                    quoted(line, key).append(':').append(pair.value);
                } else {
                    member(line, key, pair.value == null ? null : pair.value.toString());
                }
            }
        }
        if (event.getThrowableProxy() != null) {
            member(line.append(','), "exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        return line.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    private static void member(StringBuilder line, String key, String value) {
        quoted(line, key).append(':');
        if (value == null) {
            line.append("null");
        } else {
            quoted(line, value);
        }
    }

    /** A JSON string literal (RFC 8259 section 7): quote, backslash and control characters escaped. */
    private static StringBuilder quoted(StringBuilder out, String value) {
        return out.append('"').append(JsonEscapeUtil.jsonEscapeString(value)).append('"');
    }
}
