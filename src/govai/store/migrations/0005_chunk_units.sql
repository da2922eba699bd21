-- Sentence-level vectors for each chunk (float16, row-major, one row per quotable
-- unit in the order the extractive composer splits the chunk). Computed once at
-- ingest so answering a question embeds only the question.
ALTER TABLE chunk ADD COLUMN unit_vectors bytea;
