package dev.tokenauthority.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as operators write them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 30d}, a bare
 * {@code 0}, or ISO-8601. Negative durations are refused here; a flag that needs a positive one says so itself.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        if (value.trim().equals("0")) {
            return Duration.ZERO;
        }
        if (value.trim().startsWith("-")) {
            throw new TypeConversionException("'" + value + "' is negative; durations must be zero or more");
        }
        Matcher m = SHORT.matcher(value.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        Duration parsed;
        try {
            parsed = Duration.parse(value.trim());
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 30s, 15m, 1h, 30d)");
        }
        if (parsed.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative; durations must be zero or more");
        }
        return parsed;
    }
}
