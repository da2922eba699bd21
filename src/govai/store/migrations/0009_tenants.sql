-- Tenants (departments), their API keys and services, conversations, feedback, the review
-- queue's actions and the kill switch (see docs/service.md).
--
-- Rows a tenant owns are isolated by row-level security, not only by the HTTP handlers: the
-- server runs each request's queries under the role govai_tenant with the setting
-- govai.tenant naming the caller's tenant, and the policies below admit only that tenant's
-- rows. GovAI's own connection (the table owner) keeps every row through the owner_rows
-- policies, so the pipeline and the CLI work as before.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'govai_tenant') THEN
        CREATE ROLE govai_tenant NOLOGIN;
    END IF;
END
$$;

CREATE TABLE tenant (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An API key is "gk_<id>_<secret>"; only the SHA-256 of the secret is stored (the secret is
-- 256 random bits, so a fast hash is enough: there is nothing to guess).
CREATE TABLE api_key (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name             text NOT NULL,
    secret_sha256    text NOT NULL,
    role             text NOT NULL CHECK (role IN ('citizen_app', 'reviewer', 'service_admin', 'auditor')),
    services         text[] NOT NULL DEFAULT '{}',     -- empty: every service the tenant owns
    expires_at       timestamptz,
    budget_gbp       double precision CHECK (budget_gbp >= 0),
    rate_per_minute  integer CHECK (rate_per_minute > 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX api_key_tenant ON api_key (tenant_id);

-- What each key has spent, for its budget (the audit trail keeps the per-request detail).
CREATE TABLE api_key_spend (
    key_id    text NOT NULL REFERENCES api_key (id) ON DELETE CASCADE,
    tenant_id text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    cost_gbp  double precision NOT NULL
);
CREATE INDEX api_key_spend_key ON api_key_spend (key_id);

-- Which tenant owns which service (a service is a profile the server loads).
CREATE TABLE service_owner (
    service    text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenant (id) ON DELETE CASCADE
);

-- The kill switch: a service switched off answers a canned "unavailable" without any model.
CREATE TABLE service_switch (
    service     text PRIMARY KEY,
    tenant_id   text NOT NULL,
    enabled     boolean NOT NULL,
    reason      text NOT NULL DEFAULT '',
    changed_by  text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conversation (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL,
    service     text NOT NULL,
    end_user    text,                          -- a keyed hash of the caller's end-user id, never the id
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    delete_after timestamptz NOT NULL
);
CREATE INDEX conversation_tenant ON conversation (tenant_id, service);
CREATE INDEX conversation_delete_after ON conversation (delete_after);

-- One question and the service's answer to it. Text is kept as the pipeline saw it:
-- the question pseudonymised, the answer as composed (placeholders kept); the citizen's own
-- details are put back from the encrypted vault only when the conversation is read.
CREATE TABLE message (
    id               bigserial PRIMARY KEY,
    conversation_id  text NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    tenant_id        text NOT NULL,
    request_id       text NOT NULL UNIQUE,
    question         text NOT NULL,
    answer           text NOT NULL,
    outcome          text NOT NULL,
    status           text NOT NULL DEFAULT 'delivered'
                     CHECK (status IN ('delivered', 'held', 'approved', 'edited', 'rejected', 'contested')),
    record           jsonb NOT NULL DEFAULT '{}',   -- citations, route, guard verdicts (no text)
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_conversation ON message (conversation_id, id);

CREATE TABLE feedback (
    id          bigserial PRIMARY KEY,
    tenant_id   text NOT NULL,
    request_id  text NOT NULL,
    useful      boolean NOT NULL,
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_request ON feedback (request_id);

-- The review queue gains its tenant, its conversation and what reviewers did.
ALTER TABLE review_queue
    ADD COLUMN tenant_id text,
    ADD COLUMN conversation_id text,
    ADD COLUMN kind text NOT NULL DEFAULT 'held' CHECK (kind IN ('held', 'contested')),
    ADD COLUMN question text,
    ADD COLUMN final_answer text,
    ADD COLUMN reason text;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['api_key', 'api_key_spend', 'service_switch', 'conversation', 'message', 'feedback',
                             'review_queue'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I USING (tenant_id = current_setting(''govai.tenant'', true))'
                       ' WITH CHECK (tenant_id = current_setting(''govai.tenant'', true))', t);
        -- GovAI's own connection (the owner, e.g. the pipeline writing the review queue) sees every row.
        EXECUTE format('CREATE POLICY owner_rows ON %I USING (current_user <> ''govai_tenant'')'
                       ' WITH CHECK (current_user <> ''govai_tenant'')', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO govai_tenant', t);
    END LOOP;
END
$$;

-- The audit trail: a tenant reads the records of the services it owns (appends run as the owner).
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON audit_log FOR SELECT
    USING (service IN (SELECT service FROM service_owner WHERE tenant_id = current_setting('govai.tenant', true)));
CREATE POLICY owner_rows ON audit_log USING (current_user <> 'govai_tenant')
    WITH CHECK (current_user <> 'govai_tenant');
GRANT SELECT ON audit_log, audit_checkpoint TO govai_tenant;
GRANT SELECT ON tenant, service_owner TO govai_tenant;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO govai_tenant;
