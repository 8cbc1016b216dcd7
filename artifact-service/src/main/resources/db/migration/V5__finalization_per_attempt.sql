-- A retried job ends again, on a later attempt: the finalization row remembers which attempt's end it
-- builds, and a later attempt's end builds the job's artifacts anew (a duplicate end still does nothing).
ALTER TABLE finalization ADD COLUMN job_attempt integer NOT NULL DEFAULT 1;
-- The claims counted before that end: a build's tries are counted from there (its retry budget and
-- backoff), while the running count stays the claims' fencing token.
ALTER TABLE finalization ADD COLUMN claims_before integer NOT NULL DEFAULT 0;
