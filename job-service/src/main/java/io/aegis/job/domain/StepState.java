package io.aegis.job.domain;

import io.aegis.events.StepStatus;
import java.time.Instant;

/**
 * One execution step of a job.
 *
 * @param source what made the last change: {@code worker} when the worker said so,
 *               {@code inferred} when a later step implied it, {@code orphan_inferred} when the
 *               job's failure ended a step nobody reported on, {@code reused} when an earlier job's
 *               results stood in for the run
 */
public record StepState(
        String key,
        StepStatus status,
        Instant startedAt,
        Instant completedAt,
        String lastOutput,
        String error,
        String source) {

    public static final String WORKER = "worker";
    public static final String INFERRED = "inferred";
    public static final String ORPHAN_INFERRED = "orphan_inferred";
    public static final String REUSED = "reused";

    public static StepState pending(String key) {
        return new StepState(key, StepStatus.PENDING, null, null, null, null, null);
    }

    StepState start(Instant at, String source) {
        return new StepState(key, StepStatus.RUNNING, startedAt == null ? at : startedAt, null, lastOutput, null, source);
    }

    StepState finish(StepStatus outcome, Instant at, String cause, String source) {
        return new StepState(key, outcome, startedAt == null ? at : startedAt, at, lastOutput, cause, source);
    }

    StepState skip(String source) {
        return new StepState(key, StepStatus.SKIPPED, null, null, lastOutput, null, source);
    }

    StepState output(String line) {
        return line == null ? this : new StepState(key, status, startedAt, completedAt, line, error, source);
    }

    /** Milliseconds from start to completion, or null while the step has not finished. */
    public Long durationMs() {
        return startedAt == null || completedAt == null ? null : completedAt.toEpochMilli() - startedAt.toEpochMilli();
    }
}
