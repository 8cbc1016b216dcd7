package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The authoritative state of a job after a change ({@link Topics#JOB_STATE}); the topic is compacted,
 * so its latest record per job is the job's current state.
 *
 * @param step     the step currently running, or the last one that ran
 * @param version    the job row's version; a consumer ignores a state older than one it has seen
 * @param reusedFrom the earlier job whose results this job reuses, or null when it ran itself
 * @param lastLogSeq      for an end the worker reported: the {@link JobLogEvent#seq()} of the attempt's
 *                        last log line before its outcome (0 when it printed none); null for any other
 *                        state, and from producers that predate it
 * @param lastProgressSeq for an end the worker reported: the {@link JobProgressEvent#seq()} of the
 *                        attempt's outcome, its last progress event; null as above. With
 *                        {@code lastLogSeq} it tells how far the job's own events went, so a consumer
 *                        of all three topics can wait until it has them before it takes the end
 */
public record JobStateEvent(
        int schema,
        UUID jobId,
        String owner,
        JobStatus status,
        String step,
        int done,
        int total,
        String error,
        String errorCode,
        int attempt,
        long version,
        UUID reusedFrom,
        Instant at,
        Long lastLogSeq,
        Long lastProgressSeq) {

    public static final int SCHEMA = 1;

    /** A state that does not tell how far the worker's events went. */
    public JobStateEvent(int schema, UUID jobId, String owner, JobStatus status, String step, int done, int total,
                         String error, String errorCode, int attempt, long version, UUID reusedFrom, Instant at) {
        this(schema, jobId, owner, status, step, done, total, error, errorCode, attempt, version, reusedFrom, at,
                null, null);
    }
}
