package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/**
 * What a worker reports about a job it runs ({@link Topics#JOB_PROGRESS}).
 *
 * @param seq        per job and attempt, strictly increasing; shared with {@link JobLogEvent#seq()}
 * @param step       the step this event is about (one of {@link Steps}), or null for a pure heartbeat
 * @param done       sequences done so far
 * @param total      sequences in the job
 * @param status     the job status as the worker sees it: {@code RUNNING} while it works, then the
 *                   outcome ({@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}) in its last event
 * @param error      for a failed step or job: a short human-readable cause
 * @param errorCode  for a failed step or job: a stable code, e.g. {@code TOOL_FAILED}
 * @param heartbeat  true when the event only says the worker is alive
 * @param lastLogSeq on the attempt's outcome (its last progress event): the {@link JobLogEvent#seq()} of
 *                   the last log line published before it, 0 when none; null on every other event and
 *                   from producers that predate it. job-service passes it on in the terminal
 *                   {@link JobStateEvent#lastLogSeq()}
 */
public record JobProgressEvent(
        int schema,
        UUID jobId,
        int attempt,
        long seq,
        String step,
        StepStatus stepStatus,
        int done,
        int total,
        JobStatus status,
        String message,
        String error,
        String errorCode,
        boolean heartbeat,
        String worker,
        Instant at,
        Long lastLogSeq) {

    public static final int SCHEMA = 1;

    /** An event that does not tell how far the log went (all but the outcome). */
    public JobProgressEvent(int schema, UUID jobId, int attempt, long seq, String step, StepStatus stepStatus, int done,
                            int total, JobStatus status, String message, String error, String errorCode,
                            boolean heartbeat, String worker, Instant at) {
        this(schema, jobId, attempt, seq, step, stepStatus, done, total, status, message, error, errorCode, heartbeat,
                worker, at, null);
    }
}
