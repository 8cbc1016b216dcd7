-- Jobs and their execution steps. Steps are a small ordered list per job, kept with the job row
-- so a job and its steps always change together under one version.
CREATE TABLE job (
    id             uuid PRIMARY KEY,
    owner          text        NOT NULL,
    name           text,
    file_name      text,
    pipeline       text        NOT NULL,
    database_name  text        NOT NULL,
    params         jsonb       NOT NULL,
    status         text        NOT NULL,
    step           text,
    done           integer     NOT NULL DEFAULT 0,
    total          integer     NOT NULL,
    sequence_count integer     NOT NULL,
    residue_count  bigint      NOT NULL,
    attempt        integer     NOT NULL DEFAULT 1,
    last_seq       bigint      NOT NULL DEFAULT 0,
    error          text,
    error_code     text,
    steps          jsonb       NOT NULL,
    version        bigint      NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    heartbeat_at   timestamptz,
    updated_at     timestamptz NOT NULL
);

CREATE INDEX job_owner_created ON job (owner, created_at DESC, id DESC);
