-- The PII vault: per conversation, the placeholder -> value map, AES-GCM encrypted.
-- Only ciphertext is stored; the key never reaches the database.
CREATE TABLE pii_vault (
    conversation_id text PRIMARY KEY,
    key_id          text  NOT NULL,               -- fingerprint of the key that encrypted it (not the key)
    nonce           bytea NOT NULL,               -- 96-bit AES-GCM nonce, fresh for every write
    ciphertext      bytea NOT NULL,               -- mapping JSON, authenticated with the conversation id
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pii_vault_updated ON pii_vault (updated_at);
