package io.aegis.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobEffectsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JobState running() {
        return JobLifecycle.progress(JobLifecycle.dispatch(JobState.queued(4), T0).orElseThrow(),
                new JobProgressEvent(1, UUID.randomUUID(), 1, 1,
                Steps.SEARCH, StepStatus.RUNNING, 0, 4, JobStatus.RUNNING, null, null, null, false, "w",
                T0.plusSeconds(1))).orElseThrow();
    }

    @Test
    void cancellingAQueuedJobWithdrawsItsRequestAndStopsAnyWorkerThatGotIt() {
        JobState queued = JobLifecycle.dispatch(JobState.queued(4), T0).orElseThrow();
        JobEffects effects = JobEffects.between(queued, JobLifecycle.cancel(queued, T0).orElseThrow());
        assertThat(effects).isEqualTo(new JobEffects(true, 1, "cancelled while queued", false, true));
    }

    @Test
    void aJobWhoseTurnHasComeIsHandedToTheWorkersAndAJobCancelledBeforeItsTurnTellsThemNothing() {
        JobState waiting = JobState.queued(4);
        assertThat(JobEffects.between(waiting, JobLifecycle.dispatch(waiting, T0).orElseThrow()))
                .isEqualTo(new JobEffects(false, 0, null, true, false));
        assertThat(JobEffects.between(waiting, JobLifecycle.cancel(waiting, T0).orElseThrow()))
                .isEqualTo(new JobEffects(false, 0, null, false, true));
    }

    @Test
    void cancellingARunningJobTellsItsWorker() {
        JobState before = running();
        JobEffects effects = JobEffects.between(before, JobLifecycle.cancel(before, T0).orElseThrow());
        assertThat(effects).isEqualTo(new JobEffects(false, 1, "cancel requested", false, true));
    }

    @Test
    void aRequeueStopsTheOldAttemptAndDispatchesTheNewOne() {
        JobState before = running();
        JobState after = JobLifecycle.workerLost(before, T0.plusSeconds(99), T0.plusSeconds(60), 3).orElseThrow();
        assertThat(JobEffects.between(before, after))
                .isEqualTo(new JobEffects(true, 1, "superseded by attempt 2", true, true));
    }

    @Test
    void aRetryTellsNoWorkerYetItsAttemptIsHandedOutWhenItsTurnComes() {
        JobState failed = JobLifecycle.progress(running(), new JobProgressEvent(1, UUID.randomUUID(), 1, 2, Steps.SEARCH,
                StepStatus.FAILED, 0, 4, JobStatus.FAILED, null, "boom", "TOOL_FAILED", false, "w", T0.plusSeconds(2)))
                .orElseThrow();
        JobState retried = JobLifecycle.retry(failed, T0.plusSeconds(10)).orElseThrow();
        assertThat(JobEffects.between(failed, retried)).as("no worker holds a failed attempt: nothing to stop")
                .isEqualTo(new JobEffects(true, 0, null, false, true));
        assertThat(JobEffects.between(retried, JobLifecycle.dispatch(retried, T0.plusSeconds(11)).orElseThrow()).dispatch())
                .isTrue();
    }

    @Test
    void aHeartbeatAnnouncesNothing() {
        JobState before = running();
        JobState after = JobLifecycle.progress(before, new JobProgressEvent(1, UUID.randomUUID(), 1, 2, null, null,
                0, 4, JobStatus.RUNNING, null, null, null, true, "w", T0.plusSeconds(5))).orElseThrow();
        assertThat(JobEffects.between(before, after)).isEqualTo(new JobEffects(false, 0, null, false, false));
    }
}
