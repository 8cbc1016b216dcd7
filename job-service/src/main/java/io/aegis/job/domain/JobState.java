package io.aegis.job.domain;

import io.aegis.events.JobStatus;
import io.aegis.events.Steps;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The part of a job its lifecycle changes; {@link JobLifecycle} maps one to the next.
 *
 * @param lastSeq           the last progress sequence number applied for this attempt
 * @param heartbeatAt       the last sign of life from the worker holding the attempt, null while no worker holds it
 * @param worker            the worker holding the attempt
 * @param dispatchedAt      when the attempt was handed to the workers
 * @param cancelRequestedAt when a cancel of the running job was asked for
 * @param earlier           the attempts this one replaced, oldest first
 */
public record JobState(
        JobStatus status,
        String step,
        int done,
        int total,
        int attempt,
        long lastSeq,
        String error,
        String errorCode,
        List<StepState> steps,
        Instant startedAt,
        Instant finishedAt,
        Instant heartbeatAt,
        String worker,
        Instant dispatchedAt,
        Instant cancelRequestedAt,
        List<EarlierAttempt> earlier) {

    public JobState {
        steps = List.copyOf(steps);
        earlier = List.copyOf(earlier);
    }

    /**
     * A job just submitted: queued, first attempt, every step pending, and waiting its turn to be
     * handed to the workers ({@link JobLifecycle#dispatch}).
     */
    public static JobState queued(int total) {
        return new JobState(JobStatus.QUEUED, null, 0, total, 1, 0, null, null, pendingSteps(), null, null, null, null,
                null, null, List.of());
    }

    static List<StepState> pendingSteps() {
        return Steps.BLAST.stream().map(StepState::pending).toList();
    }

    /** The attempts made since the owner last retried the job (all of them when never retried), this one included. */
    public int attemptsSinceRetry() {
        int retried = 0;
        for (EarlierAttempt e : earlier) {
            if (EarlierAttempt.RETRIED.equals(e.endedBy())) {
                retried = e.attempt();
            }
        }
        return attempt - retried;
    }

    /** True when other systems must hear of the change (status, attempt, step or progress moved). */
    public boolean differsInStateFrom(JobState other) {
        return status != other.status || attempt != other.attempt || done != other.done || total != other.total
                || !Objects.equals(step, other.step);
    }
}
