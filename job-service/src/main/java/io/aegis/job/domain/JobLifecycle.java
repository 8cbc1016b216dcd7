package io.aegis.job.domain;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job state machine, in one place: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED},
 * with {@code CANCELLING} between a cancel request and its confirmation. A queued job waits in
 * job-service until its turn comes ({@link #dispatch}), then for a worker. Every writer (progress
 * from workers, cancel requests, the reconciler) goes through these functions; each answers the
 * job's next state, or empty when nothing may change.
 *
 * <p>Progress rules:
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
public final class JobLifecycle {

    public static final String WORKER_LOST = "WORKER_LOST";
    public static final String PIPELINE_FAILED = "PIPELINE_FAILED";

    /** Applies one progress event of a worker. A heartbeat only records that the worker holds the job. */
    public static Optional<JobState> progress(JobState job, JobProgressEvent event) {
        if (job.status().isTerminal() || event.attempt() != job.attempt() || event.seq() <= job.lastSeq()) {
            return Optional.empty();
        }
        Draft next = new Draft(job);
        Instant at = event.at();
        next.lastSeq = event.seq();
        next.heartbeatAt = at;
        next.worker = event.worker();
        if (event.heartbeat()) {
            return Optional.of(next.build());
        }

        int index = indexOf(next.steps, event.step());
        if (index >= 0 && event.stepStatus() != null) {
            applyStep(next.steps, index, event.stepStatus(), event.error(), at);
        }
        if (index >= 0 && event.message() != null) {
            next.steps.set(index, next.steps.get(index).output(event.message()));
        }
        if (index >= 0) {
            next.step = event.step();
        }
        if (job.status() == JobStatus.QUEUED) {
            next.status = JobStatus.RUNNING;
        }
        if (next.startedAt == null) {
            next.startedAt = at;
        }
        next.done = Math.max(job.done(), event.done());
        if (event.total() > 0) {
            next.total = event.total();
        }
        JobStatus outcome = event.status();
        if (outcome != null && outcome.isTerminal()) {
            String error = event.error() != null ? event.error() : "The pipeline failed";
            String code = event.errorCode() != null ? event.errorCode() : PIPELINE_FAILED;
            next.finish(outcome, at, error, code);
        }
        return Optional.of(next.build());
    }

    /**
     * A user asks to cancel. A queued job is cancelled at once and never starts; a running one waits
     * for its worker's confirmation in {@code CANCELLING}. Empty when the request changes nothing:
     * the job is already cancelling or finished (the caller answers with its state).
     */
    public static Optional<JobState> cancel(JobState job, Instant at) {
        Draft next = new Draft(job);
        switch (job.status()) {
            case QUEUED -> next.finish(JobStatus.CANCELLED, at, null, null);
            case RUNNING -> {
                next.status = JobStatus.CANCELLING;
                next.cancelRequestedAt = at;
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(next.build());
    }

    /** No worker confirmed a cancel asked for before {@code requestedBefore}: the job is cancelled anyway. */
    public static Optional<JobState> cancelUnconfirmed(JobState job, Instant at, Instant requestedBefore) {
        if (job.status() != JobStatus.CANCELLING || job.cancelRequestedAt() == null
                || !job.cancelRequestedAt().isBefore(requestedBefore)) {
            return Optional.empty();
        }
        Draft next = new Draft(job);
        next.finish(JobStatus.CANCELLED, at, null, null);
        return Optional.of(next.build());
    }

    /**
     * The worker holding the job fell silent (no sign of life since before {@code silentBefore}): the job
     * runs again as a new attempt, or fails with {@value #WORKER_LOST} once {@code maxAttempts} were used
     * (since the owner last retried it).
     */
    public static Optional<JobState> workerLost(JobState job, Instant at, Instant silentBefore, int maxAttempts) {
        boolean held = job.status() == JobStatus.RUNNING
                || job.status() == JobStatus.QUEUED && job.heartbeatAt() != null;
        Instant lastSign = job.heartbeatAt() != null ? job.heartbeatAt() : job.dispatchedAt();
        if (!held || lastSign == null || !lastSign.isBefore(silentBefore)) {
            return Optional.empty();
        }
        Draft next = new Draft(job);
        int tried = job.attemptsSinceRetry();
        if (tried < maxAttempts) {
            next.requeue(at, EarlierAttempt.WORKER_LOST);
        } else {
            String who = job.worker() == null ? "The worker" : "Worker " + job.worker();
            next.finish(JobStatus.FAILED, at, who + " stopped answering at " + lastSign + "; the job was tried "
                    + tried + (tried == 1 ? " time." : " times."), WORKER_LOST);
        }
        return Optional.of(next.build());
    }

    /**
     * The job's turn has come: it is handed to the workers. Only a queued job still waiting here is;
     * a job handed out already, or no longer queued, is left alone.
     */
    public static Optional<JobState> dispatch(JobState job, Instant at) {
        if (job.status() != JobStatus.QUEUED || job.dispatchedAt() != null) {
            return Optional.empty();
        }
        Draft next = new Draft(job);
        next.dispatchedAt = at;
        return Optional.of(next.build());
    }

    /**
     * A queued job no worker took since it was dispatched before {@code dispatchedBefore}: it is
     * handed out again as a new attempt (a copy of the old one that turns up later is ignored).
     */
    public static Optional<JobState> redispatch(JobState job, Instant at, Instant dispatchedBefore) {
        if (job.status() != JobStatus.QUEUED || job.heartbeatAt() != null || job.dispatchedAt() == null
                || !job.dispatchedAt().isBefore(dispatchedBefore)) {
            return Optional.empty();
        }
        Draft next = new Draft(job);
        next.requeue(at, EarlierAttempt.NOT_TAKEN);
        return Optional.of(next.build());
    }

    /**
     * The owner retries a job that failed or was cancelled: a new attempt of the same job, queued to
     * wait its turn like a new job ({@link #dispatch}); the one it replaces is kept with its error.
     * The worker takes every batch an earlier attempt finished from its checkpoints. Empty for a job
     * in any other state (the caller answers with its state).
     */
    public static Optional<JobState> retry(JobState job, Instant at) {
        if (job.status() != JobStatus.FAILED && job.status() != JobStatus.CANCELLED) {
            return Optional.empty();
        }
        Draft next = new Draft(job);
        next.requeue(null, EarlierAttempt.RETRIED);
        return Optional.of(next.build());
    }

    /** A new job answered at once with the results of an identical earlier job: it succeeds without running. */
    public static JobState reused(JobState job, UUID source, Instant at) {
        Draft next = new Draft(job);
        next.status = JobStatus.SUCCEEDED;
        next.done = job.total();
        next.startedAt = at;
        next.finishedAt = at;
        next.dispatchedAt = null;
        next.steps.replaceAll(step -> step.skip(StepState.REUSED).output("Reused the results of job " + source));
        return next.build();
    }

    private static void applyStep(List<StepState> steps, int index, StepStatus status, String error, Instant at) {
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
            steps.set(index, steps.get(index).finish(status, at, error, StepState.WORKER));
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

    /** A job state being changed; only this class changes one. */
    private static final class Draft {
        JobStatus status;
        String step;
        int done;
        int total;
        int attempt;
        long lastSeq;
        String error;
        String errorCode;
        final List<StepState> steps;
        Instant startedAt;
        Instant finishedAt;
        Instant heartbeatAt;
        String worker;
        Instant dispatchedAt;
        Instant cancelRequestedAt;
        final List<EarlierAttempt> earlier;

        Draft(JobState job) {
            status = job.status();
            step = job.step();
            done = job.done();
            total = job.total();
            attempt = job.attempt();
            lastSeq = job.lastSeq();
            error = job.error();
            errorCode = job.errorCode();
            steps = new ArrayList<>(job.steps());
            startedAt = job.startedAt();
            finishedAt = job.finishedAt();
            heartbeatAt = job.heartbeatAt();
            worker = job.worker();
            dispatchedAt = job.dispatchedAt();
            cancelRequestedAt = job.cancelRequestedAt();
            earlier = new ArrayList<>(job.earlier());
        }

        /** Ends the job; no step is left running or waiting. */
        void finish(JobStatus outcome, Instant at, String cause, String code) {
            status = outcome;
            finishedAt = at;
            if (outcome == JobStatus.FAILED) {
                error = cause;
                errorCode = code;
            }
            for (int i = 0; i < steps.size(); i++) {
                StepState s = steps.get(i);
                if (s.status() == StepStatus.RUNNING) {
                    steps.set(i, switch (outcome) {
                        case SUCCEEDED -> s.finish(StepStatus.COMPLETED, at, null, StepState.INFERRED);
                        case CANCELLED -> s.finish(StepStatus.FAILED, at, "Cancelled", StepState.ORPHAN_INFERRED);
                        default -> s.finish(StepStatus.FAILED, at, error, StepState.ORPHAN_INFERRED);
                    });
                } else if (s.status() == StepStatus.PENDING) {
                    steps.set(i, s.skip(StepState.INFERRED));
                }
            }
        }

        /**
         * Back to the queue as the next attempt, with a clean slate; the attempt replaced is kept.
         *
         * @param handedOut when the new attempt goes to the workers, or null when it waits its turn ({@link #dispatch})
         */
        void requeue(Instant handedOut, String endedBy) {
            earlier.add(new EarlierAttempt(attempt, status, error, errorCode, worker, startedAt, finishedAt, endedBy));
            status = JobStatus.QUEUED;
            attempt++;
            lastSeq = 0;
            step = null;
            done = 0;
            error = null;
            errorCode = null;
            steps.clear();
            steps.addAll(JobState.pendingSteps());
            startedAt = null;
            finishedAt = null;
            heartbeatAt = null;
            worker = null;
            cancelRequestedAt = null;
            dispatchedAt = handedOut;
        }

        JobState build() {
            return new JobState(status, step, done, total, attempt, lastSeq, error, errorCode, steps, startedAt,
                    finishedAt, heartbeatAt, worker, dispatchedAt, cancelRequestedAt, earlier);
        }
    }

    private JobLifecycle() {
    }
}
