-- Admin listings at a million tokens (docs/benchmarks.md, "Admin API at 1M tokens"). Portable H2 / PostgreSQL.

-- Sorting by last use needs a plain column to index: COALESCE(last_used_at, issued_at) cannot use
-- an index on H2 and made every last_used_at listing sort all its matches. Set to issued_at at issue
-- and moved with last_used_at on every use, so it is never before issued_at.
ALTER TABLE refresh_tokens ADD COLUMN last_activity_at TIMESTAMP WITH TIME ZONE;
UPDATE refresh_tokens SET last_activity_at = COALESCE(last_used_at, issued_at);
ALTER TABLE refresh_tokens ALTER COLUMN last_activity_at SET NOT NULL;
CREATE INDEX refresh_tokens_last_activity ON refresh_tokens (last_activity_at, id);
-- Served nothing once listings sort by last_activity_at.
DROP INDEX refresh_tokens_last_used;
-- refresh_tokens_expires_id (expires_at, id) covers it; the planner picked this narrower one and
-- then needed an extra sort for the id tie-break.
DROP INDEX refresh_tokens_expires;
-- The ACTIVE and EXPIRED filters are a status and an expiry range: (status, expires_at) answers
-- both from the index, (status, issued_at) only the first half.
DROP INDEX refresh_tokens_status;
CREATE INDEX refresh_tokens_status ON refresh_tokens (status, expires_at);
-- One user's tokens in a status (the usual search: a person's active tokens) are an index range
-- rather than an AND of two large bitmaps; user_id alone is its prefix.
DROP INDEX refresh_tokens_user;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, status, expires_at);
-- A client's tokens issued in a range (the usual admin filter) are an index range, and their
-- capped count an index-only scan; client_id alone is its prefix.
DROP INDEX refresh_tokens_client;
CREATE INDEX refresh_tokens_client ON refresh_tokens (client_id, issued_at);
-- audit_events_target_id (target_id, id) covers it; one index less to write per audit event.
DROP INDEX audit_events_target;
