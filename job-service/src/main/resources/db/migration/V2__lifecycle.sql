-- Durable lifecycle: a transactional outbox, cancel and dispatch bookkeeping, result reuse and
-- the indexes history, the reconciler and retention read through.

ALTER TABLE job
    ADD COLUMN worker              text,
    ADD COLUMN dispatched_at       timestamptz,
    ADD COLUMN cancel_requested_at timestamptz,
    ADD COLUMN input_digest        text,
    ADD COLUMN reuse_key           text,
    ADD COLUMN reused_from         uuid;

UPDATE job SET dispatched_at = created_at WHERE dispatched_at IS NULL;

-- Queue position: queued jobs in submit order.
CREATE INDEX job_queued ON job (created_at) WHERE status = 'QUEUED';
-- The reconciler only ever looks at jobs that are not finished.
CREATE INDEX job_active ON job (status, heartbeat_at) WHERE status IN ('QUEUED', 'RUNNING', 'CANCELLING');
-- Result reuse: one lookup among successful jobs.
CREATE INDEX job_reuse ON job (reuse_key, created_at DESC) WHERE status = 'SUCCEEDED';
-- Retention sweeps the oldest jobs first.
CREATE INDEX job_created ON job (created_at);

-- Events written in the same transaction as the change they announce, relayed to Kafka at least
-- once and deleted when the broker has acknowledged them.
CREATE SEQUENCE outbox_seq INCREMENT BY 50;

CREATE TABLE outbox (
    id         bigint      PRIMARY KEY,
    event_id   uuid        NOT NULL,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX outbox_key ON outbox (record_key, topic);

-- Wake the relay when events are committed (one notification per statement, delivered at commit).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('aegis_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
