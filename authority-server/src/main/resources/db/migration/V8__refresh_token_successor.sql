-- A rotation records the id of the refresh token it issued on the token it rotated, so a retry
-- within the client's reuse grace finds that successor and hands it out again instead of
-- starting a second chain (see RefreshTokenRotation). NULL on tokens not (yet) rotated and on
-- those rotated before this version: a retry of one of those within the grace is refused.
ALTER TABLE refresh_tokens ADD COLUMN successor_id VARCHAR(64);

-- The deployment's key for deriving a successor's secret from its parent's (HMAC-SHA256): only
-- hashes of secrets are stored, so a successor can be handed out again only if its secret can be
-- computed again. One row, created by the first authority to start; every replica reads it.
CREATE TABLE refresh_successor_key (
    id         INT          PRIMARY KEY CHECK (id = 1),
    secret     VARCHAR(64)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
