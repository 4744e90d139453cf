-- The console's activity charts (GetActivity): one row per minute, shared by every replica. Each
-- replica counts logins, refreshes, revocations and reuse detections in memory and adds its counts
-- for a minute to that minute's row once a minute and when it stops (ActivityRecorder): no write per
-- login or refresh. active_sessions is a sample of the sessions table taken by the last replica that
-- flushed during the minute (every replica counts the same table, so samples are not added). Rows
-- older than a day and an hour are deleted by housekeeping.
CREATE TABLE activity_minutes (
    minute_start     TIMESTAMP WITH TIME ZONE PRIMARY KEY,
    logins           BIGINT NOT NULL,
    refreshes        BIGINT NOT NULL,
    revocations      BIGINT NOT NULL,
    reuse_detections BIGINT NOT NULL,
    active_sessions  BIGINT
);
