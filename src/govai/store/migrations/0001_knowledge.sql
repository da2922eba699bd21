-- Knowledge bases: named, isolated collections of documents and their chunks.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE kb (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    embedder    text NOT NULL,
    dim         int  NOT NULL,
    revision    bigint NOT NULL DEFAULT 0,   -- bumped on every change; caches key on it
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE document (
    id           bigserial PRIMARY KEY,
    kb_id        int  NOT NULL REFERENCES kb(id) ON DELETE CASCADE,
    source_id    text NOT NULL,               -- GOV.UK base_path, legislation URL, file path
    origin       text NOT NULL,               -- what was ingested to produce it (file or URL)
    kind         text NOT NULL,               -- govuk, legislation, markdown, html, pdf, docx, text
    title        text NOT NULL,
    url          text NOT NULL,
    content_hash text NOT NULL,
    metadata     jsonb NOT NULL DEFAULT '{}',
    ingested_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kb_id, source_id)
);
CREATE INDEX document_origin ON document (kb_id, origin);

CREATE TABLE chunk (
    id           bigserial PRIMARY KEY,
    kb_id        int    NOT NULL REFERENCES kb(id) ON DELETE CASCADE,
    document_id  bigint NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    ord          int    NOT NULL,
    anchor       text,
    headings     text[] NOT NULL DEFAULT '{}',
    text         text   NOT NULL,
    content_hash text   NOT NULL,             -- of the embedded text: unchanged chunks keep their vector
    embedding    vector,                      -- dimension fixed per kb; HNSW index per kb
    flags        text[] NOT NULL DEFAULT '{}',
    tsv          tsvector NOT NULL
);
CREATE INDEX chunk_document ON chunk (document_id);
CREATE INDEX chunk_kb_hash ON chunk (kb_id, content_hash);
CREATE INDEX chunk_tsv ON chunk USING gin (tsv);
