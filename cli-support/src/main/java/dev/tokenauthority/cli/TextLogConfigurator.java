package dev.tokenauthority.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before any flag is read (found through META-INF/services): text on standard error at
 * INFO, as {@link LogFormat#TEXT}. A program that is told {@code --log-format json} switches with
 * {@link LogFormat#apply()}; the pattern lives in one place.
 */
public final class TextLogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogFormat.TEXT.apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
