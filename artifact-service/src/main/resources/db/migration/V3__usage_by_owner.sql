-- A user's store usage (GET /api/v1/usage) is summed from their artifact rows: read from the index alone.
CREATE INDEX artifact_owner_usage ON artifact (owner) INCLUDE (kind, size, job_id);
