-- On PostgreSQL V6 puts the status into refresh_tokens_session (see db/vendor/postgresql/V6). On
-- H2 the foreign key from refresh_tokens to sessions owns that index, which cannot be dropped, and
-- H2 databases are small, so the index stays (session_id). This script keeps the version sequence
-- the same on both databases.
SELECT 1;
