-- Housekeeping deletes sessions (and, by cascade, their tokens) once they have been over for the
-- retention period (--token-retention): it finds them by their absolute expiry.
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A force logout reads when the user's latest session began (its watermark is never before it) and
-- counts and revokes the sessions begun by its watermark: by user, then start.
CREATE INDEX sessions_user_created ON sessions (user_id, created_at);
