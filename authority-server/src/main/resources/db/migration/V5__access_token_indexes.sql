-- Every login and refresh inserts an access-token record; each index on access_tokens is written on
-- that hot path. access_tokens_user and access_tokens_client served only DeleteUser and DeleteClient,
-- which now find the records through the owner's sessions (sessions_user, sessions_client, then
-- access_tokens_session). GetToken's "latest access token of this refresh token" had no index at all
-- and scanned the table: it gets one. Net one index fewer per issued token. Portable H2 / PostgreSQL.
DROP INDEX access_tokens_user;
DROP INDEX access_tokens_client;
CREATE INDEX access_tokens_refresh_token ON access_tokens (refresh_token_id, issued_at);
