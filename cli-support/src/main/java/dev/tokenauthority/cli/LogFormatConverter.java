package dev.tokenauthority.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --log-format}: {@code text} or {@code json}, as operators write them. */
public final class LogFormatConverter implements ITypeConverter<LogFormat> {

    @Override
    public LogFormat convert(String value) {
        try {
            return LogFormat.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected text or json, got '" + value + "'");
        }
    }
}
