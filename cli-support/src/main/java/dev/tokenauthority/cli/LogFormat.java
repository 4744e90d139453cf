package dev.tokenauthority.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * How the programs write their log to standard error: {@code text} for people, {@code json} (one object per line)
 * for a log pipeline. Both carry an ISO-8601 UTC timestamp, the level, the logger and the message; structured
 * fields added with slf4j's {@code addKeyValue} (the request log's) follow the message as {@code key=value} in text
 * and as their own members in JSON.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /**
     * ISO-8601 in UTC with milliseconds; the {@code replace} drops the lone space {@code %kvp} leaves when an event
     * has no key-value pairs.
     */
    static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger - %msg%replace( %kvp){'^ $', ''}%n%ex";

    private static final String APPENDER_NAME = "stderr";

    /** Replaces whatever the root logger wrote to with one standard-error appender in this format, at INFO. */
    public void apply() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        apply(context);
    }

    void apply(LoggerContext context) {
        Encoder<ILoggingEvent> encoder = encoder(context);
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        // ConsoleAppender's target writes through System.err at each event: a test that swaps System.err sees it.
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        // Flyway logs a dozen lines per start, a line per migration and the result table of a migration's SELECT;
        // the authority logs the outcome itself, on one line. Its warnings and errors still come through.
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        // grpc-java's channel warns, with a multi-line status, at every failed name resolution; the sidecar's feed
        // client says itself, in words, that the authority's host does not resolve.
        context.getLogger("io.grpc.internal.ManagedChannelImpl").setLevel(Level.ERROR);
        JulToSlf4j.install();
        if (context.getTurboFilterList().stream().noneMatch(AnsweredRequestFilter.class::isInstance)) {
            AnsweredRequestFilter answered = new AnsweredRequestFilter();
            answered.setContext(context);
            answered.start();
            context.addTurboFilter(answered);
        }
    }

    private Encoder<ILoggingEvent> encoder(LoggerContext context) {
        if (this == JSON) {
            JsonLogEncoder json = new JsonLogEncoder();
            json.setContext(context);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
