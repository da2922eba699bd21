-- An update of chunks clears their pages' profiles only when what a profile is computed from
-- changes: the chunk's page, text or vector. Answering writes the sentence vectors a lazy ingest
-- left out back to the chunk rows (issue 14), and the lexicon refresh writes terms; neither
-- changes a page, so neither should send its profile back to be recomputed per question.
-- (A trigger with transition tables cannot name columns, so the function compares the rows.)
CREATE FUNCTION govai_clear_changed_page_profile() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE document SET n_chunks = NULL WHERE n_chunks IS NOT NULL AND id IN (
        SELECT unnest(ARRAY[o.document_id, n.document_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE n.document_id IS DISTINCT FROM o.document_id OR n.text IS DISTINCT FROM o.text
              OR n.embedding IS DISTINCT FROM o.embedding);
    RETURN NULL;
END $$;
DROP TRIGGER chunk_updated_page_profile ON chunk;
CREATE TRIGGER chunk_updated_page_profile AFTER UPDATE ON chunk REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION govai_clear_changed_page_profile();
