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

class ProgressMergeTest {

    private static final UUID JOB = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JobProgress queued() {
        return new JobProgress(JobStatus.QUEUED, null, 0, 10, 1, 0, null, null,
                Steps.BLAST.stream().map(StepState::pending).toList(), null, null, null);
    }

    private static JobProgressEvent event(long seq, String step, StepStatus stepStatus, int done, JobStatus status) {
        return new JobProgressEvent(1, JOB, 1, seq, step, stepStatus, done, 10, status, null, null, null, false,
                "w", T0.plusSeconds(seq));
    }

    private static JobProgress applyAll(JobProgress job, JobProgressEvent... events) {
        for (JobProgressEvent e : events) {
            job = ProgressMerge.apply(job, e).orElse(job);
        }
        return job;
    }

    private static StepStatus status(JobProgress job, String step) {
        return job.steps().stream().filter(s -> s.key().equals(step)).findFirst().orElseThrow().status();
    }

    @Test
    void theFirstEventStartsTheJobAndItsStep() {
        JobProgress job = ProgressMerge.apply(queued(), event(1, Steps.VALIDATE, StepStatus.RUNNING, 0, JobStatus.RUNNING))
                .orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(job.step()).isEqualTo(Steps.VALIDATE);
        assertThat(status(job, Steps.VALIDATE)).isEqualTo(StepStatus.RUNNING);
    }

    @Test
    void aStepStartingCompletesEveryEarlierStepStillRunning() {
        JobProgress job = applyAll(queued(),
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
        JobProgress job = applyAll(queued(),
                event(1, Steps.SEARCH, StepStatus.RUNNING, 0, JobStatus.RUNNING),
                event(3, Steps.SEARCH, null, 6, JobStatus.RUNNING));
        assertThat(ProgressMerge.apply(job, event(3, Steps.SEARCH, null, 6, JobStatus.RUNNING))).isEmpty();
        assertThat(ProgressMerge.apply(job, event(2, Steps.SEARCH, null, 3, JobStatus.RUNNING))).isEmpty();
        assertThat(job.done()).isEqualTo(6);
    }

    @Test
    void doneNeverGoesBackwards() {
        JobProgress job = applyAll(queued(),
                event(1, Steps.SEARCH, null, 8, JobStatus.RUNNING),
                event(2, Steps.SEARCH, null, 5, JobStatus.RUNNING));
        assertThat(job.done()).isEqualTo(8);
    }

    @Test
    void eventsOfAnotherAttemptAreIgnored() {
        JobProgressEvent stale = new JobProgressEvent(1, JOB, 2, 99, Steps.SEARCH, StepStatus.RUNNING, 5, 10,
                JobStatus.RUNNING, null, null, null, false, "w", T0);
        assertThat(ProgressMerge.apply(queued(), stale)).isEmpty();
    }

    @Test
    void failureFailsTheStepsStillRunningAsOrphansWithTheJobsError() {
        JobProgress running = applyAll(queued(), event(1, Steps.SEARCH, StepStatus.RUNNING, 0, JobStatus.RUNNING));
        JobProgressEvent failed = new JobProgressEvent(1, JOB, 1, 2, null, null, 0, 10, JobStatus.FAILED,
                null, "blastp exited with 2", "TOOL_FAILED", false, "w", T0.plusSeconds(2));
        JobProgress job = ProgressMerge.apply(running, failed).orElseThrow();

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
        JobProgress job = ProgressMerge.apply(queued(), failed).orElseThrow();
        JobProgressEvent late = new JobProgressEvent(1, JOB, 1, 3, Steps.MERGE, StepStatus.RUNNING, 10, 10,
                JobStatus.RUNNING, "merging", null, null, false, "w", T0);

        assertThat(ProgressMerge.apply(job, late)).isEmpty();
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
        JobProgress job = applyAll(queued(), run.toArray(JobProgressEvent[]::new));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(job.steps()).allMatch(s -> s.status() == StepStatus.COMPLETED);
        assertThat(job.done()).isEqualTo(10);
    }

    @Test
    void aHeartbeatKeepsTheStepAndRecordsTheBeat() {
        JobProgress running = applyAll(queued(), event(1, Steps.SEARCH, StepStatus.RUNNING, 2, JobStatus.RUNNING));
        JobProgressEvent beat = new JobProgressEvent(1, JOB, 1, 2, null, null, 2, 10, JobStatus.RUNNING, null, null,
                null, true, "w", T0.plusSeconds(30));
        JobProgress job = ProgressMerge.apply(running, beat).orElseThrow();
        assertThat(job.step()).isEqualTo(Steps.SEARCH);
        assertThat(job.heartbeatAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(job.differsInStateFrom(running)).isFalse();
    }
}
