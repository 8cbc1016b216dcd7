-- Traces (OpenTelemetry): where a job's trace continues. A job keeps the W3C traceparent of the
-- request that submitted it, so the work done for it later (its dispatch, a reconciler's change)
-- joins the submit's trace; an outbox row keeps the one it was written in, and the relay's send
-- continues it on Kafka (the record's traceparent header). Null when tracing is off.
ALTER TABLE job ADD COLUMN trace_parent text;
ALTER TABLE outbox ADD COLUMN trace_parent text;
