-- History filtered by status ("my failed jobs") walks only the jobs in that status, newest first,
-- instead of every job of the user until enough match.
CREATE INDEX job_owner_status_created ON job (owner, status, created_at DESC, id DESC);
