-- Audit trail: one row per request with every decision and its reason.
-- Rows are hash-chained: row_hash = sha256(prev_hash || payload), where payload is the
-- row's canonical JSON (sorted keys, no spaces, UTF-8). Editing or deleting a row breaks
-- the chain at that point; `govai.policy.audit.verify_chain` finds it.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL,
    request_id      text NOT NULL,
    conversation_id text NOT NULL,
    service         text NOT NULL,
    classification  text NOT NULL,
    outcome         text NOT NULL,
    provider        text,
    cost_gbp        double precision NOT NULL DEFAULT 0,   -- budgets sum this per service
    payload         text NOT NULL,                         -- canonical JSON, exactly as hashed
    prev_hash       text NOT NULL,
    row_hash        text NOT NULL UNIQUE
);
CREATE INDEX audit_log_service_at ON audit_log (service, at);
CREATE INDEX audit_log_request ON audit_log (request_id);

-- Answers held for a person to sign off (human-review rules with action: hold).
CREATE TABLE review_queue (
    id           bigserial PRIMARY KEY,
    created_at   timestamptz NOT NULL DEFAULT now(),
    request_id   text NOT NULL,
    service      text NOT NULL,
    rule         text NOT NULL,
    reviewer     text,
    answer       text NOT NULL,
    citations    jsonb NOT NULL DEFAULT '[]',
    status       text NOT NULL DEFAULT 'pending',          -- pending, approved, rejected
    decided_by   text,
    decided_at   timestamptz,
    delete_after timestamptz NOT NULL                       -- from the profile's retention
);
CREATE INDEX review_queue_pending ON review_queue (service, status);
