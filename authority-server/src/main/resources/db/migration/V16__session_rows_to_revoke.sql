-- A force logout moves the user's watermark, which kills every token of the sessions begun before
-- it, and returns; revoking those sessions' rows (thousands for some users) follows after the call,
-- done by whichever replica gets to it first. One row per user whose rows are still to revoke, so
-- a crash between the two loses nothing: the next replica to look finishes the work. A later force
-- logout of the same user replaces the row with its newer watermark, which covers the older one.
CREATE TABLE session_rows_to_revoke (
    user_id       VARCHAR(64)   PRIMARY KEY,
    watermark     TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_by    VARCHAR(128)  NOT NULL,
    revoke_reason VARCHAR(1024)
);
