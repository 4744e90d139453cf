package dev.tokenauthority.authority.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** GetActivity's answer: every bucket of a range, oldest first, read at {@code asOf}. */
public record Activity(Duration bucketWidth, Instant asOf, List<ActivityBucket> buckets) {}
