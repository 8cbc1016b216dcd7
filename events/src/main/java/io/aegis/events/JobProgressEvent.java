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
        Instant at) {

    public static final int SCHEMA = 1;
}
