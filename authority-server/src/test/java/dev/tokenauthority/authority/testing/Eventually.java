package dev.tokenauthority.authority.testing;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something another thread or process brings about: polls until it holds, and fails after a
 * bound, naming what was awaited. The last poll starts after the bound has passed, so a wait fails only
 * if the condition did not hold even then.
 *
 * <p>The pause between polls starts at a millisecond, so an in-process condition is seen at once, and
 * doubles up to {@link #LONGEST_PAUSE}, so a long wait does not keep a child process busy answering.
 */
public final class Eventually {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(1);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(50);

    private Eventually() {}

    /** Polls {@code condition} until it holds; an {@link AssertionError} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, what, condition, () -> "");
    }

    /**
     * As {@link #until(Duration, String, BooleanSupplier)}, with {@code context} (a child process's log, say)
     * read when the wait fails and shown below the message.
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> context) {
        Wait wait = new Wait(timeout);
        while (true) {
            boolean lastPoll = wait.isOver();
            if (condition.getAsBoolean()) {
                return;
            }
            if (lastPoll) {
                String shown = context.get();
                throw new AssertionError(failure(timeout, what) + (shown.isEmpty() ? "" : "\n" + shown));
            }
            wait.pause();
        }
    }

    /**
     * Polls {@code poll} until {@code accepted} takes its value, and returns that value; an {@link AssertionError}
     * that shows the last value after {@code timeout}.
     */
    public static <T> T untilAccepted(Duration timeout, String what, Supplier<T> poll, Predicate<? super T> accepted) {
        Wait wait = new Wait(timeout);
        while (true) {
            boolean lastPoll = wait.isOver();
            T value = poll.get();
            if (accepted.test(value)) {
                return value;
            }
            if (lastPoll) {
                throw new AssertionError(failure(timeout, what) + "; last: " + value);
            }
            wait.pause();
        }
    }

    private static String failure(Duration timeout, String what) {
        return "waited " + timeout.toString().substring(2).toLowerCase(Locale.ROOT) + " for " + what;
    }

    /** The deadline of one wait and the pause before its next poll. */
    private static final class Wait {

        private final long deadline;
        private Duration pause = FIRST_PAUSE;

        Wait(Duration timeout) {
            deadline = System.nanoTime() + timeout.toNanos();
        }

        boolean isOver() {
            return System.nanoTime() - deadline > 0;
        }

        void pause() {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while polling", e);
            }
            pause = pause.multipliedBy(2);
            if (pause.compareTo(LONGEST_PAUSE) > 0) {
                pause = LONGEST_PAUSE;
            }
        }
    }
}
