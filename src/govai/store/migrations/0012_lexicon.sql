-- Lexical search served from the database (issue 14). Each chunk keeps the terms GovAI's own
-- tokenizer finds in its title, headings and text (govai.retrieval.lexical.tokenize: stop words
-- out, light stemming) as a tsvector whose positions 1..tf only carry the term frequency, and how
-- many terms it has. Each knowledge base keeps its document frequencies and size, refreshed when
-- its revision is bumped, so BM25 is scored in SQL over a per-knowledge-base GIN index (created
-- with the knowledge base's HNSW index) and no worker holds the collection in memory.
-- The English `tsv` column it replaces was never searched: its index goes, and the column is no
-- longer written (it stays, nullable, so a node still on the previous release can write during a
-- rolling upgrade; a later migration drops it).
DROP INDEX IF EXISTS chunk_tsv;
ALTER TABLE chunk ALTER COLUMN tsv DROP NOT NULL;
ALTER TABLE chunk ADD COLUMN terms tsvector;
ALTER TABLE chunk ADD COLUMN n_terms int;

CREATE TABLE kb_term (
    kb_id int  NOT NULL REFERENCES kb(id) ON DELETE CASCADE,
    term  text NOT NULL,
    df    int  NOT NULL,
    PRIMARY KEY (kb_id, term)
);
-- NULL until the first refresh: chunks stored before this migration get their terms then.
ALTER TABLE kb ADD COLUMN lexicon_revision bigint;
ALTER TABLE kb ADD COLUMN n_chunks bigint NOT NULL DEFAULT 0;
ALTER TABLE kb ADD COLUMN avg_terms double precision NOT NULL DEFAULT 0;
