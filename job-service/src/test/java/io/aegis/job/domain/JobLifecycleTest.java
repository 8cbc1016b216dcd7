package io.aegis.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobLifecycleTest {

    private static final UUID JOB = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JobState queued() {
        return JobLifecycle.dispatch(JobState.queued(10), T0).orElseThrow();
    }

    private static JobProgressEvent event(long seq, String step, StepStatus stepStatus, int done, JobStatus status) {
        return new JobProgressEvent(1, JOB, 1, seq, step, stepStatus, done, 10, status, null, null, null, false,
                "w", T0.plusSeconds(seq));
    }

    private static JobState applyAll(JobState job, JobProgressEvent... events) {
        for (JobProgressEvent e : events) {
            job = JobLifecycle.progress(job, e).orElse(job);
        }
        return job;
    }

    private static StepStatus status(JobState job, String step) {
        return job.steps().stream().filter(s -> s.key().equals(step)).findFirst().orElseThrow().status();
    }

    @Test
    void aSubmittedJobWaitsForItsTurnAndIsHandedOutOnce() {
        JobState waiting = JobState.queued(10);
        assertThat(waiting.dispatchedAt()).isNull();

        JobState handedOut = JobLifecycle.dispatch(waiting, T0).orElseThrow();
        assertThat(handedOut.dispatchedAt()).isEqualTo(T0);
        assertThat(handedOut.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(handedOut.attempt()).isEqualTo(1);
        assertThat(JobLifecycle.dispatch(handedOut, T0.plusSeconds(1))).as("handed out already").isEmpty();
        assertThat(JobLifecycle.dispatch(JobLifecycle.cancel(waiting, T0).orElseThrow(), T0)).as("cancelled").isEmpty();
    }

    @Test
    void aJobStillWaitingForItsTurnIsNeitherLostNorRedispatched() {
        JobState waiting = JobState.queued(10);
        assertThat(JobLifecycle.workerLost(waiting, T0.plusSeconds(999), T0.plusSeconds(900), 3)).isEmpty();
        assertThat(JobLifecycle.redispatch(waiting, T0.plusSeconds(999), T0.plusSeconds(900))).isEmpty();
    }

    @Test
    void theFirstEventStartsTheJobAndItsStep() {
        JobState job = JobLifecycle.progress(queued(), event(1, Steps.VALIDATE, StepStatus.RUNNING, 0, JobStatus.RUNNING))
                .orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(job.step()).isEqualTo(Steps.VALIDATE);
        assertThat(status(job, Steps.VALIDATE)).isEqualTo(StepStatus.RUNNING);
    }

    @Test
    void aStepStartingCompletesEveryEarlierStepStillRunning() {
        JobState job = applyAll(queued(),
                event(1, Steps.VALIDATE, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(2, Steps.SPLIT, StepStatus.RUNNING, 0, JobStatus.RUNNING));
        StepState validate = job.steps().getFirst();
        assertThat(validate.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(validate.source()).isEqualTo(StepState.INFERRED);
        assertThat(validate.durationMs()).isEqualTo(1000L);
        assertThat(status(job, Steps.SPLIT)).isEqualTo(StepStatus.RUNNING);
    }

    @Test
    void duplicateAndOlderEventsAreIgnored() {
        JobState job = applyAll(queued(),
                event(1, Steps.SEARCH, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(3, Steps.SEARCH, null, 6, JobStatus.RUNNING));
        assertThat(JobLifecycle.progress(job, event(3, Steps.SEARCH, null, 6, JobStatus.RUNNING))).isEmpty();
        assertThat(JobLifecycle.progress(job, event(2, Steps.SEARCH, null, 3, JobStatus.RUNNING))).isEmpty();
        assertThat(job.done()).isEqualTo(6);
    }

    @Test
    void doneNeverGoesBackwards() {
        JobState job = applyAll(queued(),
                event(1, Steps.SEARCH, null, 8, JobStatus.RUNNING),
                event(2, Steps.SEARCH, null, 5, JobStatus.RUNNING));
        assertThat(job.done()).isEqualTo(8);
    }

    @Test
    void eventsOfAnotherAttemptAreIgnored() {
        JobProgressEvent stale = new JobProgressEvent(1, JOB, 2, 99, Steps.SEARCH, StepStatus.RUNNING, 5, 10,
                JobStatus.RUNNING, null, null, null, false, "w", T0);
        assertThat(JobLifecycle.progress(queued(), stale)).isEmpty();
    }

    @Test
    void failureFailsTheStepsStillRunningAsOrphansWithTheJobsError() {
        JobState running = applyAll(queued(), event(1, Steps.SEARCH, StepStatus.RUNNING, 0, JobStatus.RUNNING));
        JobProgressEvent failed = new JobProgressEvent(1, JOB, 1, 2, null, null, 0, 10, JobStatus.FAILED,
                null, "blastp exited with 2", "TOOL_FAILED", false, "w", T0.plusSeconds(2));
        JobState job = JobLifecycle.progress(running, failed).orElseThrow();

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.errorCode()).isEqualTo("TOOL_FAILED");
        StepState search = job.steps().get(Steps.BLAST.indexOf(Steps.SEARCH));
        assertThat(search.status()).isEqualTo(StepStatus.FAILED);
        assertThat(search.source()).isEqualTo(StepState.ORPHAN_INFERRED);
        assertThat(search.error()).isEqualTo("blastp exited with 2");
        assertThat(job.steps()).noneMatch(s -> s.status() == StepStatus.RUNNING || s.status() == StepStatus.PENDING);
    }

    @Test
    void theFailingEventsErrorStaysTheJobsErrorAndNothingChangesAfterATerminalState() {
        JobProgressEvent failed = new JobProgressEvent(1, JOB, 1, 2, Steps.SEARCH, StepStatus.FAILED, 0, 10,
                JobStatus.FAILED, "segfault", "blastp crashed", "TOOL_FAILED", false, "w", T0);
        JobState job = JobLifecycle.progress(queued(), failed).orElseThrow();
        JobProgressEvent late = new JobProgressEvent(1, JOB, 1, 3, Steps.MERGE, StepStatus.RUNNING, 10, 10,
                JobStatus.RUNNING, "merging", null, null, false, "w", T0);

        assertThat(JobLifecycle.progress(job, late)).isEmpty();
        assertThat(job.error()).isEqualTo("blastp crashed");
        assertThat(job.steps().get(Steps.BLAST.indexOf(Steps.SEARCH)).lastOutput()).isEqualTo("segfault");
    }

    @Test
    void successCompletesTheRunningStepAndSkipsNone() {
        List<JobProgressEvent> run = List.of(
                event(1, Steps.VALIDATE, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(2, Steps.VALIDATE, StepStatus.COMPLETED, 0, JobStatus.RUNNING),
                event(3, Steps.SPLIT, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(4, Steps.SEARCH, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(5, Steps.SEARCH, null, 10, JobStatus.RUNNING),
                event(6, Steps.MERGE, StepStatus.RUNNING, 10, JobStatus.RUNNING),
                event(7, Steps.FINALIZE, StepStatus.RUNNING, 10, JobStatus.RUNNING),
                event(8, Steps.FINALIZE, StepStatus.COMPLETED, 10, JobStatus.SUCCEEDED));
        JobState job = applyAll(queued(), run.toArray(JobProgressEvent[]::new));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(job.steps()).allMatch(s -> s.status() == StepStatus.COMPLETED);
        assertThat(job.done()).isEqualTo(10);
    }

    @Test
    void aHeartbeatKeepsTheStepAndRecordsTheBeat() {
        JobState running = applyAll(queued(), event(1, Steps.SEARCH, StepStatus.RUNNING, 2, JobStatus.RUNNING));
        JobProgressEvent beat = new JobProgressEvent(1, JOB, 1, 2, null, null, 2, 10, JobStatus.RUNNING, null, null,
                null, true, "w", T0.plusSeconds(30));
        JobState job = JobLifecycle.progress(running, beat).orElseThrow();
        assertThat(job.step()).isEqualTo(Steps.SEARCH);
        assertThat(job.heartbeatAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(job.differsInStateFrom(running)).isFalse();
    }

    private static JobState running() {
        return applyAll(queued(), event(1, Steps.SEARCH, StepStatus.RUNNING, 3, JobStatus.RUNNING));
    }

    private static JobProgressEvent outcome(long seq, JobStatus status) {
        return new JobProgressEvent(1, JOB, 1, seq, Steps.FINALIZE, null, 10, 10, status, null,
                status == JobStatus.FAILED ? "boom" : null, status == JobStatus.FAILED ? "TOOL_FAILED" : null,
                false, "w", T0.plusSeconds(seq));
    }

    @Test
    void aHeartbeatOnAQueuedJobMarksItHeldButKeepsItQueued() {
        JobProgressEvent accepted = new JobProgressEvent(1, JOB, 1, 1, null, null, 0, 10, JobStatus.RUNNING, null,
                null, null, true, "worker-a", T0.plusSeconds(1));
        JobState job = JobLifecycle.progress(queued(), accepted).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.worker()).isEqualTo("worker-a");
        assertThat(job.heartbeatAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(job.startedAt()).isNull();
    }

    @Test
    void reorderedEventsNeverMoveTheJobBackwards() {
        JobState job = applyAll(queued(),
                event(1, Steps.VALIDATE, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(4, Steps.MERGE, StepStatus.RUNNING, 10, JobStatus.RUNNING),
                event(2, Steps.SPLIT, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(3, Steps.SEARCH, null, 5, JobStatus.RUNNING));
        assertThat(job.step()).isEqualTo(Steps.MERGE);
        assertThat(job.done()).isEqualTo(10);
        assertThat(job.lastSeq()).isEqualTo(4);
    }

    @Test
    void cancellingAQueuedJobCancelsItAtOnceAndNoStepEverRuns() {
        JobState job = JobLifecycle.cancel(queued(), T0.plusSeconds(5)).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(job.steps()).allMatch(step -> step.status() == StepStatus.SKIPPED);
        assertThat(JobLifecycle.progress(job, event(1, Steps.VALIDATE, StepStatus.RUNNING, 0, JobStatus.RUNNING)))
                .isEmpty();
    }

    @Test
    void cancellingARunningJobWaitsForTheWorkerAndAskingAgainChangesNothing() {
        JobState cancelling = JobLifecycle.cancel(running(), T0.plusSeconds(5)).orElseThrow();
        assertThat(cancelling.status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(cancelling.cancelRequestedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(JobLifecycle.cancel(cancelling, T0.plusSeconds(6))).isEmpty();

        JobState confirmed = JobLifecycle.progress(cancelling, outcome(2, JobStatus.CANCELLED)).orElseThrow();
        assertThat(confirmed.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(confirmed.steps()).noneMatch(step -> step.status() == StepStatus.RUNNING);
        assertThat(JobLifecycle.cancel(confirmed, T0.plusSeconds(7))).isEmpty();
    }

    @Test
    void aWorkerThatFinishesBeforeItSeesTheCancelWinsAndTheJobStaysFinished() {
        JobState cancelling = JobLifecycle.cancel(running(), T0.plusSeconds(5)).orElseThrow();
        JobState succeeded = JobLifecycle.progress(cancelling, outcome(2, JobStatus.SUCCEEDED)).orElseThrow();

        assertThat(succeeded.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(JobLifecycle.progress(succeeded, outcome(3, JobStatus.CANCELLED))).isEmpty();
        assertThat(JobLifecycle.cancelUnconfirmed(succeeded, T0.plusSeconds(99), T0.plusSeconds(90))).isEmpty();
        assertThat(JobLifecycle.cancel(succeeded, T0.plusSeconds(99))).isEmpty();
    }

    @Test
    void aCancelNoWorkerConfirmsEndsCancelledAfterTheBound() {
        JobState cancelling = JobLifecycle.cancel(running(), T0.plusSeconds(5)).orElseThrow();
        assertThat(JobLifecycle.cancelUnconfirmed(cancelling, T0.plusSeconds(20), T0.plusSeconds(5))).isEmpty();

        JobState cancelled = JobLifecycle.cancelUnconfirmed(cancelling, T0.plusSeconds(40), T0.plusSeconds(10))
                .orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        StepState search = cancelled.steps().get(Steps.BLAST.indexOf(Steps.SEARCH));
        assertThat(search.status()).isEqualTo(StepStatus.FAILED);
        assertThat(search.source()).isEqualTo(StepState.ORPHAN_INFERRED);
    }

    @Test
    void aSilentWorkerRequeuesTheJobAsANewAttemptWithACleanSlate() {
        JobState job = JobLifecycle.workerLost(running(), T0.plusSeconds(100), T0.plusSeconds(60), 3).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.lastSeq()).isZero();
        assertThat(job.done()).isZero();
        assertThat(job.heartbeatAt()).isNull();
        assertThat(job.dispatchedAt()).isEqualTo(T0.plusSeconds(100));
        assertThat(job.steps()).allMatch(step -> step.status() == StepStatus.PENDING);

        JobProgressEvent oldAttempt = event(2, Steps.MERGE, StepStatus.RUNNING, 10, JobStatus.RUNNING);
        assertThat(JobLifecycle.progress(job, oldAttempt)).isEmpty();
    }

    @Test
    void aWorkerStillBeatingIsNotLost() {
        assertThat(JobLifecycle.workerLost(running(), T0.plusSeconds(30), T0.plusSeconds(0), 3)).isEmpty();
        assertThat(JobLifecycle.workerLost(queued(), T0.plusSeconds(999), T0.plusSeconds(900), 3))
                .as("a queued job no worker holds is the dispatch rule's business").isEmpty();
    }

    @Test
    void theLastAllowedAttemptLostFailsTheJobWithWorkerLost() {
        JobState job = JobLifecycle.workerLost(running(), T0.plusSeconds(100), T0.plusSeconds(60), 1).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.errorCode()).isEqualTo(JobLifecycle.WORKER_LOST);
        assertThat(job.error()).contains("Worker w").contains("tried 1 time");
        assertThat(job.steps()).noneMatch(step -> step.status() == StepStatus.RUNNING);
    }

    @Test
    void aFailedJobIsRetriedAsItsNextAttemptWaitingItsTurnWithTheFailedAttemptKept() {
        JobState failed = applyAll(running(), outcome(2, JobStatus.FAILED));
        JobState retried = JobLifecycle.retry(failed, T0.plusSeconds(60)).orElseThrow();

        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(retried.dispatchedAt()).as("it waits its turn like a new job").isNull();
        assertThat(retried.error()).isNull();
        assertThat(retried.errorCode()).isNull();
        assertThat(retried.finishedAt()).isNull();
        assertThat(retried.done()).isZero();
        assertThat(retried.lastSeq()).isZero();
        assertThat(retried.steps()).allMatch(step -> step.status() == StepStatus.PENDING);
        assertThat(retried.earlier()).containsExactly(new EarlierAttempt(1, JobStatus.FAILED, "boom", "TOOL_FAILED", "w",
                failed.startedAt(), failed.finishedAt(), EarlierAttempt.RETRIED));
        assertThat(JobLifecycle.dispatch(retried, T0.plusSeconds(61))).isPresent();
    }

    @Test
    void aCancelledJobMayBeRetriedAndNoOtherState() {
        JobState cancelled = JobLifecycle.cancel(queued(), T0).orElseThrow();
        JobState retried = JobLifecycle.retry(cancelled, T0.plusSeconds(5)).orElseThrow();
        assertThat(retried.earlier()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(e.endedBy()).isEqualTo(EarlierAttempt.RETRIED);
        });
        assertThat(retried.cancelRequestedAt()).isNull();

        assertThat(JobLifecycle.retry(queued(), T0)).as("queued").isEmpty();
        assertThat(JobLifecycle.retry(running(), T0)).as("running").isEmpty();
        assertThat(JobLifecycle.retry(JobLifecycle.cancel(running(), T0).orElseThrow(), T0)).as("cancelling").isEmpty();
        assertThat(JobLifecycle.retry(applyAll(running(), outcome(2, JobStatus.SUCCEEDED)), T0)).as("succeeded").isEmpty();
    }

    @Test
    void aRetriedJobGetsItsFullShareOfAttemptsForLostWorkersAgain() {
        JobState lostOnce = JobLifecycle.workerLost(running(), T0.plusSeconds(100), T0.plusSeconds(60), 2).orElseThrow();
        assertThat(lostOnce.earlier()).extracting(EarlierAttempt::endedBy).containsExactly(EarlierAttempt.WORKER_LOST);
        JobState runningAgain = JobLifecycle.progress(lostOnce, new JobProgressEvent(1, JOB, 2, 1, Steps.SEARCH,
                StepStatus.RUNNING, 0, 10, JobStatus.RUNNING, null, null, null, false, "w", T0.plusSeconds(110)))
                .orElseThrow();
        JobState failed = JobLifecycle.workerLost(runningAgain, T0.plusSeconds(200), T0.plusSeconds(150), 2).orElseThrow();
        assertThat(failed.errorCode()).isEqualTo(JobLifecycle.WORKER_LOST);
        assertThat(failed.error()).contains("tried 2 times");

        JobState retried = JobLifecycle.retry(failed, T0.plusSeconds(300)).orElseThrow();
        assertThat(retried.attempt()).isEqualTo(3);
        assertThat(retried.attemptsSinceRetry()).isEqualTo(1);
        JobState held = JobLifecycle.progress(JobLifecycle.dispatch(retried, T0.plusSeconds(301)).orElseThrow(),
                new JobProgressEvent(1, JOB, 3, 1, Steps.SEARCH, StepStatus.RUNNING, 0, 10, JobStatus.RUNNING, null,
                        null, null, false, "w", T0.plusSeconds(302))).orElseThrow();
        JobState requeued = JobLifecycle.workerLost(held, T0.plusSeconds(400), T0.plusSeconds(350), 2).orElseThrow();
        assertThat(requeued.status()).as("attempt 3 is the first since the retry").isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.attempt()).isEqualTo(4);
        assertThat(requeued.earlier()).extracting(EarlierAttempt::attempt).containsExactly(1, 2, 3);
    }

    @Test
    void aQueuedJobNobodyTookIsDispatchedAgainOnlyAfterTheBound() {
        assertThat(JobLifecycle.redispatch(queued(), T0.plusSeconds(30), T0)).isEmpty();
        JobState again = JobLifecycle.redispatch(queued(), T0.plusSeconds(200), T0.plusSeconds(80)).orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(JobLifecycle.redispatch(running(), T0.plusSeconds(200), T0.plusSeconds(80))).isEmpty();
    }

    @Test
    void aReusedJobSucceedsAtOnceWithEveryStepMarkedReused() {
        UUID source = UUID.randomUUID();
        JobState job = JobLifecycle.reused(queued(), source, T0.plusSeconds(1));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.done()).isEqualTo(10);
        assertThat(job.steps()).allMatch(step -> step.status() == StepStatus.SKIPPED
                && StepState.REUSED.equals(step.source()) && step.lastOutput().contains(source.toString()));
    }
}
