-- Every attempt of a job is kept: an attempt replaced by a later one (a retry, a lost worker) moves
-- here with its status and error, oldest first.
ALTER TABLE job ADD COLUMN attempts jsonb NOT NULL DEFAULT '{"attempts": []}';
