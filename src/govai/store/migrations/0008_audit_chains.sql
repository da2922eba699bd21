-- Audit trail v2: one hash chain per service, every column covered (see docs/audit.md).
--
-- row_hash = sha256 over the canonical header {v, service, seq, prev, kind, payload_sha256};
-- payload_digest = sha256 over (salt, payload); at .. cost_gbp are derived from the payload
-- and re-derived on verification. Rows of the old single chain (which hashed only the
-- payload) are kept unchanged in audit_log_v1.
ALTER TABLE audit_log RENAME TO audit_log_v1;
ALTER INDEX audit_log_pkey RENAME TO audit_log_v1_pkey;
ALTER INDEX audit_log_row_hash_key RENAME TO audit_log_v1_row_hash_key;
ALTER INDEX audit_log_service_at RENAME TO audit_log_v1_service_at;
ALTER INDEX audit_log_request RENAME TO audit_log_v1_request;
ALTER SEQUENCE audit_log_id_seq RENAME TO audit_log_v1_id_seq;

CREATE TABLE audit_log (
    service         text NOT NULL,
    seq             bigint NOT NULL CHECK (seq >= 1),
    prev_hash       text NOT NULL,
    kind            text NOT NULL,            -- request, prune, erase
    payload_digest  text NOT NULL,
    row_hash        text NOT NULL,
    salt            text,                     -- NULL once an erasure has redacted the payload
    payload         text NOT NULL,            -- canonical JSON, exactly as digested
    -- Derived from the payload (never set on their own), for queries and budgets.
    at              timestamptz NOT NULL,
    request_id      text,
    conversation_id text,
    classification  text,
    outcome         text NOT NULL,
    provider        text,
    cost_gbp        double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (service, seq)
);
CREATE INDEX audit_log_service_at ON audit_log (service, at);
CREATE INDEX audit_log_request ON audit_log (request_id);
CREATE INDEX audit_log_conversation ON audit_log (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX audit_log_admin ON audit_log (service, seq) WHERE kind <> 'request';

-- Copies of the signed checkpoints, so every host sees all of them. The copy that
-- detects a restored backup is the checkpoint file outside the database.
CREATE TABLE audit_checkpoint (
    service    text NOT NULL,
    seq        bigint NOT NULL,
    row_hash   text NOT NULL,
    signed_at  text NOT NULL,                 -- exactly as signed
    key_id     text NOT NULL,
    signature  text NOT NULL,
    PRIMARY KEY (service, seq, key_id)
);
