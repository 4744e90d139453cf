-- A client can be disabled (UpdateClient "disabled"): it can no longer authenticate, and its
-- revocation-feed streams end. Existing clients stay enabled.
ALTER TABLE clients ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;
