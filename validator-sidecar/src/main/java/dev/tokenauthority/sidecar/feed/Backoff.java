package dev.tokenauthority.sidecar.feed;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with full jitter: after the n-th consecutive failure wait a random
 * time in [0, min(cap, base * 2^n)], so that sidecars restarted together do not reconnect in
 * lockstep. {@link #withHalfJitter} waits at least half of that: for failures that retrying soon
 * cannot fix, where a short random wait would only repeat the failure (and its log line).
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final boolean halfJitter;
    private int failures;

    public Backoff(Duration base, Duration cap) {
        this(base, cap, false);
    }

    private Backoff(Duration base, Duration cap, boolean halfJitter) {
        this.base = base;
        this.cap = cap;
        this.halfJitter = halfJitter;
    }

    /** Waits a random time in [c/2, c] for the ceiling c of the n-th failure. */
    public static Backoff withHalfJitter(Duration base, Duration cap) {
        return new Backoff(base, cap, true);
    }

    public Duration nextDelay() {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(failures, 20));
        failures++;
        long floor = halfJitter ? ceiling / 2 : 0;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }

    public void reset() {
        failures = 0;
    }
}
