package dev.tokenauthority.authority.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, so expiry is tested without sleeping. */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    /** Added to the time on every read once set: a clock that moves like a real one, strictly. */
    private volatile Duration tick = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public static MutableClock startingNow() {
        return new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    /**
     * From now on every read returns a later instant than the one before, by {@code step}: for
     * races, where a frozen clock would give racing transactions the same time and hide the race.
     */
    public void tickOnEveryRead(Duration step) {
        tick = step;
    }

    @Override
    public Instant instant() {
        Duration step = tick;
        return step.isZero() ? now.get() : now.updateAndGet(t -> t.plus(step));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
