-- Private signing keys at rest are sealed under a key-encryption key (KEK) that is not in the
-- database: private_key_sealed is base64(nonce || AES-256-GCM ciphertext || tag), kek_id names the
-- KEK that sealed it. SQL cannot encrypt (it has no KEK): the authority seals the plaintext rows
-- left in private_key at start-up, in one transaction under the authority_state lock, and clears
-- private_key. New keys never use that column again.
ALTER TABLE signing_keys ADD COLUMN private_key_sealed VARCHAR(1024);
ALTER TABLE signing_keys ADD COLUMN kek_id VARCHAR(64);
ALTER TABLE signing_keys ALTER COLUMN private_key DROP NOT NULL;
