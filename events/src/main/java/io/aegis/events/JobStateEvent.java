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
        Instant at) {

    public static final int SCHEMA = 1;
}
