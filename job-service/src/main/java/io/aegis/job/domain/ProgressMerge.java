package io.aegis.job.domain;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The merge rules for progress, in one place. Every writer of job progress goes through
 * {@link #apply}:
 * <ol>
 *   <li>A step starting completes every earlier step still running.</li>
 *   <li>When the job fails, every step still running fails too, with source {@code orphan_inferred}
 *       and the job's error: nothing spins forever.</li>
 *   <li>An event at or below the last applied sequence number of the job's attempt, or for another
 *       attempt, is ignored: consumption is idempotent.</li>
 *   <li>The job's error is the failing event's error, never a later benign message.</li>
 * </ol>
 * Terminal states absorb: nothing changes a finished job. Done never goes backwards.
 */
public final class ProgressMerge {

    /** The job after the event, or empty when the event must be ignored. */
    public static Optional<JobProgress> apply(JobProgress job, JobProgressEvent event) {
        if (job.status().isTerminal() || event.attempt() != job.attempt() || event.seq() <= job.lastSeq()) {
            return Optional.empty();
        }
        Instant at = event.at();
        List<StepState> steps = new ArrayList<>(job.steps());
        int index = indexOf(steps, event.step());
        if (index >= 0 && event.stepStatus() != null) {
            applyStep(steps, index, event, at);
        }
        if (index >= 0 && event.message() != null) {
            steps.set(index, steps.get(index).output(event.message()));
        }

        JobStatus status = job.status() == JobStatus.QUEUED ? JobStatus.RUNNING : job.status();
        Instant startedAt = job.startedAt() == null ? at : job.startedAt();
        Instant finishedAt = null;
        String error = job.error();
        String errorCode = job.errorCode();
        JobStatus outcome = event.status();
        if (outcome != null && outcome.isTerminal()) {
            status = outcome;
            finishedAt = at;
            if (outcome == JobStatus.FAILED) {
                error = event.error() != null ? event.error() : "The pipeline failed";
                errorCode = event.errorCode() != null ? event.errorCode() : "PIPELINE_FAILED";
            }
            settleSteps(steps, outcome, error, at);
        }
        return Optional.of(new JobProgress(
                status,
                index >= 0 && !event.heartbeat() ? event.step() : job.step(),
                Math.max(job.done(), event.done()),
                event.total() > 0 ? event.total() : job.total(),
                job.attempt(),
                event.seq(),
                error,
                errorCode,
                steps,
                startedAt,
                finishedAt,
                at));
    }

    private static void applyStep(List<StepState> steps, int index, JobProgressEvent event, Instant at) {
        StepStatus status = event.stepStatus();
        if (status == StepStatus.RUNNING) {
            for (int i = 0; i < index; i++) {
                if (steps.get(i).status() == StepStatus.RUNNING) {
                    steps.set(i, steps.get(i).finish(StepStatus.COMPLETED, at, null, StepState.INFERRED));
                }
            }
            if (!steps.get(index).status().isFinished()) {
                steps.set(index, steps.get(index).start(at, StepState.WORKER));
            }
        } else if (status.isFinished()) {
            steps.set(index, steps.get(index).finish(status, at, event.error(), StepState.WORKER));
        }
    }

    /** A finished job leaves no step running or waiting. */
    private static void settleSteps(List<StepState> steps, JobStatus outcome, String error, Instant at) {
        for (int i = 0; i < steps.size(); i++) {
            StepState step = steps.get(i);
            if (step.status() == StepStatus.RUNNING) {
                steps.set(i, switch (outcome) {
                    case SUCCEEDED -> step.finish(StepStatus.COMPLETED, at, null, StepState.INFERRED);
                    case CANCELLED -> step.finish(StepStatus.FAILED, at, "Cancelled", StepState.ORPHAN_INFERRED);
                    default -> step.finish(StepStatus.FAILED, at, error, StepState.ORPHAN_INFERRED);
                });
            } else if (step.status() == StepStatus.PENDING) {
                steps.set(i, step.skip(StepState.INFERRED));
            }
        }
    }

    private static int indexOf(List<StepState> steps, String key) {
        for (int i = 0; key != null && i < steps.size(); i++) {
            if (steps.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private ProgressMerge() {
    }
}
