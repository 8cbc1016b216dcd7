-- Traces (OpenTelemetry): the W3C traceparent of the terminal state that made the finalization due,
-- so its builds, on whichever replica claims them, join the job's trace. Null when tracing is off.
ALTER TABLE finalization ADD COLUMN trace_parent text;
