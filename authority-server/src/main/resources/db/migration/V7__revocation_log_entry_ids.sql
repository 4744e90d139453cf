-- A feed position is a sequence number and the entry_id of the entry at that number. Sequence
-- numbers alone cannot tell a log that went back (a crash that lost its tail, a restored backup,
-- a failover to a replica that was behind) and then reused them; a random id per entry can: a
-- subscriber whose (sequence, entry_id) is not in the log gets a snapshot instead of resuming.
-- Entries written before this version have entry_id 0, "unknown": a subscriber positioned on one
-- of them gets a snapshot once.
ALTER TABLE revocation_log ADD COLUMN entry_id BIGINT DEFAULT 0 NOT NULL;
