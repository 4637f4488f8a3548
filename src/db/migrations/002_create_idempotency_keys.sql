-- Idempotency-Key records (draft-ietf-httpapi-idempotency-key-header): one per caller, operation
-- and key, written in the same transaction as the change it answers, kept until expires_at.
CREATE TABLE idempotency_keys (
  user_id text NOT NULL,
  operation text NOT NULL,
  key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
  fingerprint text NOT NULL,
  status integer NOT NULL,
  headers jsonb NOT NULL,
  body jsonb,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, operation, key)
);

-- Serves the sweep of a caller's expired keys.
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (user_id, expires_at);
