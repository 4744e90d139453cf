package dev.tokenauthority.bench;

import java.time.Duration;
import java.util.Locale;

/** How the load tools write durations and times in their reports, so every table reads alike. */
final class ReportFormat {

    private ReportFormat() {
    }

    /** {@code 15 s} for whole seconds, else {@code 500 ms}. */
    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Milliseconds with one decimal, locale-independent. */
    static String oneDecimal(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }
}
