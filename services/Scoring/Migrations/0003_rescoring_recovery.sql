-- A job whose worker died (no heartbeat for a while) is claimed again; rescoring is idempotent.
ALTER TABLE rescoring_jobs
    ADD COLUMN heartbeat_at timestamptz NULL,
    ADD COLUMN reason       text        NOT NULL DEFAULT 'activation',  -- activation, daily
    ADD COLUMN day          date        NULL;

-- One daily refresh per scorecard and day, whichever instance queues it first.
CREATE UNIQUE INDEX rescoring_jobs_daily ON rescoring_jobs (scorecard_id, day) WHERE reason = 'daily';
