package io.aegis.job.rest;

import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.job.domain.EarlierAttempt;
import io.aegis.job.domain.Job;
import io.aegis.job.domain.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A job as the API shows it; {@code earlierAttempts} are the attempts a later one replaced, with their errors. */
public record JobResponse(
        UUID id,
        String owner,
        String name,
        String fileName,
        String pipeline,
        String database,
        Map<String, Object> params,
        JobStatus status,
        String step,
        Progress progress,
        int attempt,
        String error,
        String errorCode,
        int sequenceCount,
        long residueCount,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        long version,
        UUID reusedFrom,
        Long queuePosition,
        String worker,
        Instant lastHeartbeatAt,
        List<Step> steps,
        List<EarlierAttempt> earlierAttempts) {

    public record Progress(int done, int total) {
    }

    public record Step(String key, StepStatus status, Instant startedAt, Instant completedAt, Long durationMs,
                       String lastOutput, String error, String source) {

        static Step of(StepState step) {
            return new Step(step.key(), step.status(), step.startedAt(), step.completedAt(), step.durationMs(),
                    step.lastOutput(), step.error(), step.source());
        }
    }

    public record Steps(UUID jobId, List<Step> steps) {
    }

    public static JobResponse of(Job job) {
        return of(job, null);
    }

    /**
     * @param queuePosition while queued, the job's place in the fair order the workers get the jobs
     *                      (1 for the next to start; {@link io.aegis.job.repository.JobQueries#queuePosition});
     *                      null when the job is not queued
     */
    public static JobResponse of(Job job, Long queuePosition) {
        return new JobResponse(job.id, job.owner, job.name, job.fileName, job.pipeline, job.database, job.params,
                job.status, job.step, new Progress(job.done, job.total), job.attempt, job.error, job.errorCode,
                job.sequenceCount, job.residueCount, job.createdAt, job.startedAt, job.finishedAt, job.version,
                job.reusedFrom, queuePosition, job.worker, job.heartbeatAt, steps(job), job.attempts.attempts());
    }

    static List<Step> steps(Job job) {
        return job.steps.steps().stream().map(Step::of).toList();
    }
}
