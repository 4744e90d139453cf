-- Directory administration (users, clients, grants, settings, audit): the indexes behind its
-- listings and behind deleting everything a user or a client owns. Portable H2 / PostgreSQL.
-- (Settings need no column: the default client lifetimes are rows of the settings table.)

-- ListGrants filtered by client, keyset-paged by id (by user: the grants_user_client unique index).
CREATE INDEX grants_client ON grants (client_id, id);
-- DeleteUser and DeleteClient delete access tokens by owner.
CREATE INDEX access_tokens_user ON access_tokens (user_id);
CREATE INDEX access_tokens_client ON access_tokens (client_id);
-- ListAuditEvents filtered by target, newest first by id.
CREATE INDEX audit_events_target_id ON audit_events (target_id, id);
