package dev.tokenauthority.authority.activity;

/** What happened in a span of time, counted: the quantities the activity charts plot (besides active sessions). */
public record ActivityCounts(long logins, long refreshes, long revocations, long reuseDetections) {

    public static final ActivityCounts NONE = new ActivityCounts(0, 0, 0, 0);

    public ActivityCounts plus(ActivityCounts other) {
        return new ActivityCounts(logins + other.logins, refreshes + other.refreshes,
                revocations + other.revocations, reuseDetections + other.reuseDetections);
    }

    public boolean isZero() {
        return equals(NONE);
    }
}
