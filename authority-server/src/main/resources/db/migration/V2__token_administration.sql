-- Token administration: the indexes behind filtered, sorted, paged listings.
-- (Soft revoke needs no column: a suspended refresh token has status SUSPENDED.)


CREATE INDEX refresh_tokens_issued ON refresh_tokens (issued_at, id);
CREATE INDEX refresh_tokens_last_used ON refresh_tokens (last_used_at, id);
CREATE INDEX refresh_tokens_expires_id ON refresh_tokens (expires_at, id);
CREATE INDEX refresh_tokens_status ON refresh_tokens (status, issued_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at, id);
CREATE INDEX audit_events_actor ON audit_events (actor_id, id);
CREATE INDEX audit_events_action ON audit_events (action, id);
