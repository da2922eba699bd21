-- Evaluation runs (docs/assurance.md): one row per `govai eval run`, per service and per
-- configuration fingerprint ("version"). `manifest` holds what makes the run reproducible (dataset,
-- model, prompt and knowledge-base hashes, seeds, versions); `results` holds each suite's figures,
-- breakdowns and worst failures; `log_dir` is where its Inspect logs are (`inspect view`).
CREATE TABLE evaluation_run (
    id           text PRIMARY KEY,
    service      text NOT NULL,
    version      text NOT NULL,              -- the configuration fingerprint the run measured
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT now(),
    status       text NOT NULL CHECK (status IN ('complete', 'partial')),  -- partial: --limit or a subset of rows
    suites       text[] NOT NULL,
    manifest     jsonb NOT NULL,
    results      jsonb NOT NULL,
    log_dir      text
);
CREATE INDEX evaluation_run_service ON evaluation_run (service, finished_at DESC);
