package dev.tokenauthority.authority.activity;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The windows the charts show: how wide a bucket is and how many of them, the current (partial) one last. */
public enum ActivityRange {
    LAST_HOUR(ChronoUnit.MINUTES, 60),
    LAST_DAY(ChronoUnit.HOURS, 24);

    private final ChronoUnit unit;
    private final int buckets;

    ActivityRange(ChronoUnit unit, int buckets) {
        this.unit = unit;
        this.buckets = buckets;
    }

    public Duration bucketWidth() {
        return unit.getDuration();
    }

    public int buckets() {
        return buckets;
    }

    /** The start of the bucket holding {@code instant}. */
    Instant bucketOf(Instant instant) {
        return instant.truncatedTo(unit);
    }

    /** The start of the oldest bucket shown at {@code now}. */
    Instant firstBucket(Instant now) {
        return bucketOf(now).minus(bucketWidth().multipliedBy(buckets - 1L));
    }
}
