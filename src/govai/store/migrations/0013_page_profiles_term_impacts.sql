-- Retrieval that does not grow with the knowledge base (issue 14).
--
-- 1. Page profiles stored with each document, so reranking reads only its candidate passages, never
--    the rest of their pages: how many passages the page has, the unit mean of their vectors (what
--    the page is about) and its dispersion (1 - |mean|), the latest year its text names, whether it
--    says it may be out of date, whether it is legislation. NULL until the knowledge base's next
--    lexicon refresh (the end of every ingest) computes them; a document is replaced whole on
--    change, so a NULL profile is exactly a page that needs one.
ALTER TABLE document ADD COLUMN n_chunks int;
ALTER TABLE document ADD COLUMN centroid vector;
ALTER TABLE document ADD COLUMN dispersion double precision;
ALTER TABLE document ADD COLUMN latest_year int;
ALTER TABLE document ADD COLUMN dated boolean;
ALTER TABLE document ADD COLUMN legislation boolean;
CREATE INDEX document_no_profile ON document (kb_id) WHERE n_chunks IS NULL;

-- Whatever writes chunks (row by row, COPY, a later bulk path), the profile of a page whose chunks
-- change is cleared, so the next refresh computes it again. Statement-level, once per write.
CREATE FUNCTION govai_clear_page_profile() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE document SET n_chunks = NULL WHERE n_chunks IS NOT NULL AND id IN (SELECT document_id FROM old_rows);
    ELSE
        UPDATE document SET n_chunks = NULL WHERE n_chunks IS NOT NULL AND id IN (SELECT document_id FROM new_rows);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER chunk_inserted_page_profile AFTER INSERT ON chunk REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION govai_clear_page_profile();
CREATE TRIGGER chunk_updated_page_profile AFTER UPDATE ON chunk REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION govai_clear_page_profile();
CREATE TRIGGER chunk_deleted_page_profile AFTER DELETE ON chunk REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION govai_clear_page_profile();

-- 2. Impact-ordered postings per term: the chunks where the term weighs most in BM25 (its
--    tf / length part, with the knowledge base's mean length at the refresh), best first, at most
--    a fixed number, with those weights and the weight of the last one kept when the list is cut
--    short. Lexical search reads these short lists, not every chunk holding a common term, and
--    knows how far off a chunk left out of them can be.
ALTER TABLE kb_term ADD COLUMN top_ids bigint[];
ALTER TABLE kb_term ADD COLUMN top_weights real[];
ALTER TABLE kb_term ADD COLUMN floor real NOT NULL DEFAULT 0;

-- Every knowledge base refreshes its lexicon (and so its lists and page profiles) on first use.
UPDATE kb SET lexicon_revision = NULL;
