package dev.tokenauthority.authority.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    @Test
    void aConditionThatComesToHoldEndsTheWait() {
        AtomicInteger polls = new AtomicInteger();

        Eventually.until(Duration.ofSeconds(10), "the third poll", () -> polls.incrementAndGet() == 3);

        assertThat(polls).hasValue(3);
    }

    @Test
    void aConditionThatNeverHoldsFailsNamingWhatWasAwaitedWithTheContext() {
        assertThatThrownBy(() -> Eventually.until(SHORT, "the impossible", () -> false, () -> "the log"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("waited 0.1s for the impossible\nthe log");
    }

    @Test
    void theAcceptedValueIsReturned() {
        AtomicInteger polls = new AtomicInteger();

        int value = Eventually.untilAccepted(Duration.ofSeconds(10), "a value of 3", polls::incrementAndGet, v -> v >= 3);

        assertThat(value).isEqualTo(3);
    }

    @Test
    void aValueNeverAcceptedFailsShowingTheLastOne() {
        assertThatThrownBy(() -> Eventually.untilAccepted(SHORT, "a negative value", () -> 7, v -> v < 0))
                .isInstanceOf(AssertionError.class)
                .hasMessage("waited 0.1s for a negative value; last: 7");
    }

    @Test
    void aConditionThatHoldsOnlyOnceTheBoundHasPassedStillEndsTheWait() {
        long bound = System.nanoTime() + SHORT.toNanos();

        Eventually.until(SHORT, "the bound to pass", () -> System.nanoTime() - bound >= 0);
    }
}
