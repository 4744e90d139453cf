package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the activity of a range from the shared per-minute rows, after flushing this replica's own counts so the
 * replica answering is counted up to now (the others up to their last flush, see {@link ActivityRecorder}).
 */
public final class ActivityReport {

    private final Transactions transactor;
    private final ActivityRecorder recorder;
    private final Clock clock;

    public ActivityReport(Transactions transactor, ActivityRecorder recorder, Clock clock) {
        this.transactor = transactor;
        this.recorder = recorder;
        this.clock = clock;
    }

    public Activity read(ActivityRange range) {
        recorder.flush();
        Instant now = clock.instant();
        Instant first = range.firstBucket(now);
        List<ActivityBucket> minutes = transactor.read(tx -> tx.store(ActivityStore.class).since(first));
        List<ActivityBucket> buckets = new ArrayList<>(range.buckets());
        int next = 0;
        for (int i = 0; i < range.buckets(); i++) {
            Instant start = first.plus(range.bucketWidth().multipliedBy(i));
            Instant end = start.plus(range.bucketWidth());
            ActivityCounts counts = ActivityCounts.NONE;
            Long active = null;
            for (; next < minutes.size() && minutes.get(next).start().isBefore(end); next++) {
                ActivityBucket minute = minutes.get(next);
                counts = counts.plus(minute.counts());
                if (minute.activeSessions() != null) {
                    active = minute.activeSessions(); // oldest first: the bucket's last sample wins
                }
            }
            buckets.add(new ActivityBucket(start, counts, active));
        }
        return new Activity(range.bucketWidth(), now, buckets);
    }
}
