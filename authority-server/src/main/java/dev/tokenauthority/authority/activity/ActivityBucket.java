package dev.tokenauthority.authority.activity;

import java.time.Instant;

/**
 * A span of time starting at {@code start}: what happened in it, summed over every replica, and the active sessions
 * last sampled in it (null when no replica sampled during it). A stored row is a bucket one minute wide; the charts'
 * buckets (a minute or an hour) are built from those.
 */
public record ActivityBucket(Instant start, ActivityCounts counts, Long activeSessions) {}
