package dev.tokenauthority.sidecar.feed;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with full jitter: after the n-th consecutive failure wait a random
 * time in [0, min(cap, base * 2^n)], so that sidecars restarted together do not reconnect in
 * lockstep.
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private int failures;

    public Backoff(Duration base, Duration cap) {
        this.base = base;
        this.cap = cap;
    }

    public Duration nextDelay() {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    public void reset() {
        failures = 0;
    }
}
