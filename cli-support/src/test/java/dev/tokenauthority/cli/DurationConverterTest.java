package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void durationsReadAsOperatorsWriteThem() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(converter.convert("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert(" 45s ")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void anUnreadableDurationGivesAnErrorThatShowsTheValueAndExamples() {
        DurationConverter converter = new DurationConverter();

        for (String bad : new String[] {"30 seconds", "1w", "", "s"}) {
            assertThatThrownBy(() -> converter.convert(bad))
                    .as(bad)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessage("'" + bad + "' is not a duration (e.g. 30s, 15m, 1h, 30d)");
        }
    }

    @Test
    void aBareZeroIsZeroAndANegativeDurationIsRefusedAsNegative() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("0")).isZero();
        for (String negative : new String[] {"-5s", "-1d", "-PT1H"}) {
            assertThatThrownBy(() -> converter.convert(negative)).as(negative)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessage("'" + negative + "' is negative; durations must be zero or more");
        }
    }
}
