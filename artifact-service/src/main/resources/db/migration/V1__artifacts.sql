-- One row per artifact of a job, with its readiness.
CREATE TABLE artifact (
    job_id       uuid        NOT NULL,
    name         text        NOT NULL,
    owner        text        NOT NULL,
    state        text        NOT NULL,
    size         bigint,
    sha256       text,
    content_type text,
    error        text,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (job_id, name)
);
