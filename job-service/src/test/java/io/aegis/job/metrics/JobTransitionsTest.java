package io.aegis.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.job.domain.EarlierAttempt;
import io.aegis.job.domain.Job;
import io.aegis.job.domain.JobLifecycle;
import io.aegis.job.domain.JobState;
import io.aegis.job.domain.ReuseKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobTransitionsTest {

    private static final Instant SUBMITTED = Instant.parse("2026-01-01T10:00:00Z");

    private static JobState queued() {
        JobSubmission submission = new JobSubmission("j", "q.fasta", "blast", "demo", Map.of("program", "blastp"),
                ">q\nMK\n", 1, 2, "v1", false);
        return Job.queued(UUID.randomUUID(), "alice", submission, ReuseKey.of(submission), SUBMITTED).state();
    }

    @Test
    void aCancelledQueuedJobFinishesOnceWithItsTimeSinceSubmission() {
        JobState queued = queued();
        JobState cancelled = JobLifecycle.cancel(queued, SUBMITTED.plusSeconds(90)).orElseThrow();

        assertThat(JobTransitions.between(queued, cancelled, SUBMITTED))
                .containsExactly(new JobTransitions.Finished("cancelled", Duration.ofSeconds(90)));
        // a terminal state seen again is not a second end
        assertThat(JobTransitions.between(cancelled, cancelled, SUBMITTED)).isEmpty();
    }

    @Test
    void aQueuedJobThatIsHandedOutFinishesNothing() {
        JobState queued = queued();
        JobState dispatched = JobLifecycle.dispatch(queued, SUBMITTED.plusSeconds(1)).orElseThrow();
        assertThat(JobTransitions.between(queued, dispatched, SUBMITTED)).isEmpty();
    }

    @Test
    void aRetriedJobCountsItsRequeueByReason() {
        JobState queued = queued();
        JobState cancelled = JobLifecycle.cancel(queued, SUBMITTED.plusSeconds(5)).orElseThrow();
        JobState retried = JobLifecycle.retry(cancelled, SUBMITTED.plusSeconds(10)).orElseThrow();

        assertThat(JobTransitions.between(cancelled, retried, SUBMITTED))
                .containsExactly(new JobTransitions.Requeued(EarlierAttempt.RETRIED));
    }

    @Test
    void aSilentWorkerIsCountedAsLostWhetherTheJobRunsAgainOrFails() {
        JobState running = JobLifecycle.dispatch(queued(), SUBMITTED).orElseThrow();
        running = new JobState(io.aegis.events.JobStatus.RUNNING, running.step(), 0, running.total(), running.attempt(),
                running.lastSeq(), null, null, running.steps(), SUBMITTED, null, SUBMITTED, "w1",
                running.dispatchedAt(), null, running.earlier());
        Instant later = SUBMITTED.plusSeconds(60);

        JobState again = JobLifecycle.workerLost(running, later, later.minusSeconds(12), 3).orElseThrow();
        assertThat(JobTransitions.between(running, again, SUBMITTED)).containsExactly(
                new JobTransitions.Requeued(EarlierAttempt.WORKER_LOST), new JobTransitions.WorkerLost());

        JobState failed = JobLifecycle.workerLost(running, later, later.minusSeconds(12), 1).orElseThrow();
        assertThat(JobTransitions.between(running, failed, SUBMITTED)).containsExactly(
                new JobTransitions.Finished("failed", Duration.ofSeconds(60)), new JobTransitions.WorkerLost());
    }
}
