-- Where each artifact lives inside its job's folder, what kind it is, and the CRC-32 a zip entry needs.
ALTER TABLE artifact ADD COLUMN kind text NOT NULL DEFAULT 'file';   -- file | table
ALTER TABLE artifact ADD COLUMN location text;                        -- e.g. results/hits.tsv, artifacts/summary.json
ALTER TABLE artifact ADD COLUMN crc32 bigint;
UPDATE artifact SET location = CASE WHEN name = 'manifest.json' THEN 'artifacts/' ELSE 'results/' END || name;
ALTER TABLE artifact ADD CONSTRAINT artifact_file_has_location CHECK (kind <> 'file' OR location IS NOT NULL);

-- The finalizer's sentinel: one row per finished job. Inserting it is what claims the build, so a
-- duplicate terminal event finds the row and does nothing; a failed build or one whose lease ran
-- out (the process died mid-build) is due again at next_attempt_at.
CREATE TABLE finalization (
    job_id          uuid        PRIMARY KEY,
    owner           text        NOT NULL,
    job_status      text        NOT NULL,
    reused_from     uuid,
    state           text        NOT NULL,   -- pending | building | done | failed
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    hit_columns     text,                   -- the hit table's column names, tab-separated
    hit_count       bigint,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX finalization_due ON finalization (next_attempt_at) WHERE state IN ('pending', 'building');

-- The merged hits of a finished job, one row per line of hits.tsv (ord is its 0-based line number),
-- for paged and sorted reads. The sort keys are columns; the row itself is kept as written.
CREATE TABLE hit (
    job_id   uuid             NOT NULL,
    ord      bigint           NOT NULL,
    query    text             NOT NULL,
    subject  text             NOT NULL,
    identity double precision NOT NULL,
    evalue   double precision NOT NULL,
    bitscore double precision NOT NULL,
    line     text             NOT NULL,
    PRIMARY KEY (job_id, ord)
);
CREATE INDEX hit_by_evalue ON hit (job_id, evalue, ord);
CREATE INDEX hit_by_bitscore ON hit (job_id, bitscore DESC, ord);
CREATE INDEX hit_by_identity ON hit (job_id, identity DESC, ord);
CREATE INDEX hit_by_query ON hit (job_id, query, ord);
