package io.aegis.job.domain;

import io.aegis.events.JobStatus;
import java.time.Instant;

/**
 * An attempt of a job that a later one replaced, as it stood when it was replaced: the job's history
 * keeps every attempt with its error.
 *
 * @param status  the attempt's status then: {@code FAILED} or {@code CANCELLED} for one retried, the
 *                status it was left in for one whose worker was lost or that no worker took
 * @param endedBy why a later attempt replaced it: {@value #RETRIED}, {@value #WORKER_LOST} or {@value #NOT_TAKEN}
 */
public record EarlierAttempt(int attempt, JobStatus status, String error, String errorCode, String worker,
                             Instant startedAt, Instant finishedAt, String endedBy) {

    public static final String RETRIED = "retried";
    public static final String WORKER_LOST = "worker_lost";
    public static final String NOT_TAKEN = "not_taken";
}
