-- Revoking a session changes its live tokens only (ACTIVE, SUSPENDED), but a long-lived session
-- holds one ROTATED token per refresh: with session_id alone, revoking it read every one of them
-- from the heap to test the status (a bulk revocation of 10,000 seeded sessions fetched 100,000
-- rows to change 10,000). With the status in the index it fetches the live ones only; session_id
-- alone is still its prefix. Same number of indexes, so nothing more to write per token.
-- PostgreSQL only: on H2 the foreign key to sessions owns refresh_tokens_session and it cannot be
-- dropped (db/vendor/h2/V6 leaves it as it is).
DROP INDEX refresh_tokens_session;
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id, status);
