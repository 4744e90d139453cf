-- revoked_at: set by RevokeSigningKey; a revoked key is never published or trusted again.
-- withdrawn_at: when the revocation log announced the key's removal from the JWK set (on
-- revocation, or by housekeeping once a retired key's publication window has passed), so that
-- every sidecar drops it within one feed event and no replica announces it twice.
ALTER TABLE signing_keys ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE signing_keys ADD COLUMN withdrawn_at TIMESTAMP WITH TIME ZONE;
