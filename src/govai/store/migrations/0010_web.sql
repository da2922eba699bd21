-- The web front end (see docs/web.md): staff accounts and browser sessions.
--
-- A staff account belongs to one tenant and holds its roles in the web console (reviewer,
-- service_admin, auditor). It signs in with a local password (scrypt hash, never the
-- password) or through OpenID Connect, matched by its verified e-mail address and then bound
-- to the provider's subject. GovAI's own connection reads these tables (as it reads API keys);
-- a tenant's connection sees only its own staff, as with api_key.

CREATE TABLE web_staff (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._@+-]{0,127}$'),
    tenant_id       text NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name            text NOT NULL,
    email           text,
    roles           text[] NOT NULL CHECK (roles <@ ARRAY['reviewer', 'service_admin', 'auditor']::text[]
                                           AND cardinality(roles) > 0),
    services        text[] NOT NULL DEFAULT '{}',     -- empty: every service the tenant owns
    password_hash   text,                             -- NULL: signs in only through OpenID Connect
    oidc_subject    text UNIQUE,                      -- "issuer sub", bound at the first OIDC sign-in
    created_at      timestamptz NOT NULL DEFAULT now(),
    disabled_at     timestamptz,
    last_sign_in_at timestamptz
);
CREATE UNIQUE INDEX web_staff_email ON web_staff (lower(email)) WHERE email IS NOT NULL;

-- A browser session: the cookie holds a random token, only its SHA-256 is stored. Citizens get
-- one when a page needs it (the CSRF token, the language, their own rate limit); staff get a new
-- one at every sign-in, which ends after an idle time and an absolute time.
CREATE TABLE web_session (
    id_sha256   text PRIMARY KEY,
    data        jsonb NOT NULL DEFAULT '{}',
    staff_id    text REFERENCES web_staff (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    seen_at     timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX web_session_expires ON web_session (expires_at);
CREATE INDEX web_session_staff ON web_session (staff_id) WHERE staff_id IS NOT NULL;

ALTER TABLE web_staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE web_staff FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON web_staff USING (tenant_id = current_setting('govai.tenant', true))
    WITH CHECK (tenant_id = current_setting('govai.tenant', true));
CREATE POLICY owner_rows ON web_staff USING (current_user <> 'govai_tenant')
    WITH CHECK (current_user <> 'govai_tenant');
GRANT SELECT ON web_staff TO govai_tenant;

-- Sessions are GovAI's own: no tenant role may read them.
ALTER TABLE web_session ENABLE ROW LEVEL SECURITY;
ALTER TABLE web_session FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_rows ON web_session USING (current_user <> 'govai_tenant')
    WITH CHECK (current_user <> 'govai_tenant');
