package io.aegis.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StepClockTest {

    private static final UUID JOB = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private static JobProgressEvent event(int second, String step, StepStatus stepStatus, JobStatus status) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, second, step, stepStatus, 0, 1, status, null,
                null, null, false, "w", T0.plusSeconds(second));
    }

    @Test
    void aStepRunsFromItsStartToItsCompletion() {
        StepClock clock = new StepClock();
        assertThat(clock.on(event(0, "validate", StepStatus.RUNNING, JobStatus.RUNNING))).isEmpty();
        assertThat(clock.on(event(3, "validate", StepStatus.COMPLETED, JobStatus.RUNNING)))
                .containsExactly(new StepClock.Ended("validate", "completed", Duration.ofSeconds(3)));
    }

    @Test
    void aStepLeftWithoutAWordEndsWhenTheNextStarts() {
        StepClock clock = new StepClock();
        clock.on(event(0, "split", StepStatus.RUNNING, JobStatus.RUNNING));
        assertThat(clock.on(event(2, "search", StepStatus.RUNNING, JobStatus.RUNNING)))
                .containsExactly(new StepClock.Ended("split", "completed", Duration.ofSeconds(2)));
    }

    @Test
    void countsHeartbeatsAndRepeatedStartsEndNothing() {
        StepClock clock = new StepClock();
        clock.on(event(0, "search", StepStatus.RUNNING, JobStatus.RUNNING));
        assertThat(clock.on(event(1, "search", StepStatus.RUNNING, JobStatus.RUNNING))).isEmpty();
        assertThat(clock.on(event(2, "search", null, JobStatus.RUNNING))).isEmpty();
        assertThat(clock.on(new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, 3, null, null, 0, 1,
                JobStatus.RUNNING, null, null, null, true, "w", T0.plusSeconds(3)))).isEmpty();
        assertThat(clock.on(event(5, "search", StepStatus.COMPLETED, JobStatus.RUNNING)))
                .containsExactly(new StepClock.Ended("search", "completed", Duration.ofSeconds(5)));
    }

    @Test
    void aFailedOrCancelledAttemptEndsItsRunningStepSo() {
        StepClock failing = new StepClock();
        failing.on(event(0, "search", StepStatus.RUNNING, JobStatus.RUNNING));
        assertThat(failing.on(event(8, "search", StepStatus.FAILED, JobStatus.FAILED)))
                .containsExactly(new StepClock.Ended("search", "failed", Duration.ofSeconds(8)));

        StepClock cancelled = new StepClock();
        cancelled.on(event(0, "merge", StepStatus.RUNNING, JobStatus.RUNNING));
        assertThat(cancelled.on(event(1, "merge", StepStatus.FAILED, JobStatus.CANCELLED)))
                .containsExactly(new StepClock.Ended("merge", "cancelled", Duration.ofSeconds(1)));
    }
}
