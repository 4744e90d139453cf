-- The refresh-token successor key is a secret like the private signing keys, and is sealed the same way under the
-- key-encryption key (see V12): secret_sealed is base64(nonce || AES-256-GCM ciphertext || tag), kek_id names the KEK.
-- The authority seals a plaintext secret left from V8 at start-up and clears the column.
ALTER TABLE refresh_successor_key ADD COLUMN secret_sealed VARCHAR(256);
ALTER TABLE refresh_successor_key ADD COLUMN kek_id VARCHAR(64);
ALTER TABLE refresh_successor_key ALTER COLUMN secret DROP NOT NULL;
