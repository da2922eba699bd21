-- Whether a knowledge base's last ingest ran to the end. An ingest clears `complete` when it
-- starts and sets it when it finishes, so one killed part way leaves it false, and answers can
-- say they came from an incomplete knowledge base. `ingest_id` names the ingest that cleared it:
-- an earlier ingest finishing late cannot mark a later, unfinished one complete.
-- Knowledge bases loaded before this column existed count as complete.
ALTER TABLE kb ADD COLUMN complete boolean NOT NULL DEFAULT true;
ALTER TABLE kb ADD COLUMN ingest_id uuid;
