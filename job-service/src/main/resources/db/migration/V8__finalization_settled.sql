-- A finished job's artifacts are made by artifact-service, which announces the manifest last
-- (aegis.artifact.state): its ready or failed settles the job's finalization. job-service records
-- here the latest attempt whose finalization settled, and FinalizationSweeper announces the terminal
-- state again of a job that ended a while ago and has no such record (its state record lost,
-- dead-lettered or never processed), a bounded number of times.
--
-- finalized_attempt: 0 for a job whose finalization has not settled yet (the default each new job
-- gets: the entity leaves the column out), the attempt once it has. Jobs that existed before this
-- migration keep NULL: nobody recorded their manifests, and artifact-service had their terminal
-- states all along; NULL < attempt is never true, so the sweep and its index never see them, and
-- adding the column rewrites no row. The unfinished ones among them are watched like new jobs.
ALTER TABLE job
    ADD COLUMN finalized_attempt integer,
    ADD COLUMN reannounced_at    timestamptz,
    ADD COLUMN reannounce_count  integer NOT NULL DEFAULT 0;
ALTER TABLE job ALTER COLUMN finalized_attempt SET DEFAULT 0;
UPDATE job SET finalized_attempt = 0 WHERE status IN ('QUEUED', 'RUNNING', 'CANCELLING');

-- The sweep reads only the finished jobs whose finalization has not settled: normally those that
-- ended in the last seconds, whatever the history holds (1M jobs or ten).
CREATE INDEX job_unfinalized ON job (finished_at)
    WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND finalized_attempt < attempt;
