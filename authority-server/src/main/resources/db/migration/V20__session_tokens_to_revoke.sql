-- A revocation of many sessions at once (a bulk revocation, a grant's sessions) revokes the session
-- rows in its transaction and returns; their refresh and access tokens' rows follow after the
-- call. A token of a revoked session is dead whatever its own row says (refresh, introspection and
-- listings read the session), so only the rows wait. One row per session whose tokens' rows are
-- still to revoke, with what they are to be marked with; a crash between the two loses nothing:
-- the next replica to look finishes the work. No foreign key: a session deleted meanwhile leaves a
-- row that revokes nothing and is removed.
CREATE TABLE session_tokens_to_revoke (
    session_id    VARCHAR(64)   PRIMARY KEY,
    revoked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_by    VARCHAR(128)  NOT NULL,
    revoke_reason VARCHAR(1024)
);
