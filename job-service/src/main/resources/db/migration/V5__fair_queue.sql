-- Fair use: a job waits in job-service for its turn (dispatched_at still null) and is handed to the
-- workers a few per user at a time (FairDispatcher); a user's unfinished jobs are counted at submit.
-- Each index holds only the rows its question is about, so the answers cost the same with one job
-- waiting or fifty thousand.
CREATE INDEX job_waiting ON job (owner, created_at) WHERE status = 'QUEUED' AND dispatched_at IS NULL;
CREATE INDEX job_in_flight ON job (owner)
    WHERE status IN ('RUNNING', 'CANCELLING') OR (status = 'QUEUED' AND dispatched_at IS NOT NULL);
CREATE INDEX job_owner_active ON job (owner) WHERE status IN ('QUEUED', 'RUNNING', 'CANCELLING');
