-- Housekeeping deletes sessions (and, by cascade, their tokens) once they have been over for the
-- retention period (--token-retention): it finds them by their absolute expiry.
CREATE INDEX sessions_expires ON sessions (expires_at);
