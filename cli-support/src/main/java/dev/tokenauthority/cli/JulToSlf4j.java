package dev.tokenauthority.cli;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Sends what grpc-java and Netty log through java.util.logging into the programs' own log: otherwise the JDK prints it
 * on standard error in a two-line format of its own, without the ISO-8601 time and outside the JSON lines.
 */
final class JulToSlf4j extends Handler {

    private final SimpleFormatter formatter = new SimpleFormatter();

    /** Replaces the JDK's console handler with this bridge, at INFO. */
    static void install() {
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new JulToSlf4j());
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "" : record.getLoggerName());
        int level = record.getLevel().intValue();
        LoggingEventBuilder event = level >= Level.SEVERE.intValue() ? logger.atError()
                : level >= Level.WARNING.intValue() ? logger.atWarn()
                : level >= Level.INFO.intValue() ? logger.atInfo()
                : logger.atDebug();
        event.setCause(record.getThrown()).log(formatter.formatMessage(record));
    }

    @Override
    public void flush() {
        // slf4j's appenders flush themselves
    }

    @Override
    public void close() {
        // nothing held
    }
}
