-- The feed's beat: one row that every primary-role replica on PostgreSQL moves to its clock about
-- once a second (FeedBeat). A feed-only replica reading a hot standby sees the primary as of the
-- last commit the standby replayed, so it vouches for freshness only as far as the newest beat it
-- can read, never as of its own clock. Starts at the epoch: until a primary beats, nothing is vouched.
CREATE TABLE feed_beat (
    id      INT PRIMARY KEY,
    beat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO feed_beat (id, beat_at) VALUES (1, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
