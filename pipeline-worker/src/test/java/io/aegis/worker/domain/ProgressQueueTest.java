package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an attempt's progress keeps while Kafka is away, and in which order it goes out. */
class ProgressQueueTest {

    private static final UUID JOB = UUID.fromString("9a4e2c1b-3f5d-4e6a-8b7c-0d1e2f3a4b5c");

    private long seq;

    @Test
    void stepChangesAndTheOutcomeAreKeptInOrderWhileHeartbeatsAndOlderCountsAreDropped() {
        ProgressQueue queue = new ProgressQueue();
        queue.add(step(Steps.SEARCH, StepStatus.RUNNING));
        for (int i = 1; i <= 1000; i++) {
            queue.add(heartbeat());
            queue.add(count(Steps.SEARCH, i));
        }
        queue.add(step(Steps.SEARCH, StepStatus.COMPLETED));
        queue.add(heartbeat());
        queue.add(step(Steps.MERGE, StepStatus.RUNNING));
        queue.add(outcome(JobStatus.SUCCEEDED));

        List<JobProgressEvent> sent = drain(queue);
        assertThat(sent).extracting(ProgressQueueTest::describe).containsExactly(
                "search RUNNING", "count 1000", "search COMPLETED", "merge RUNNING", "SUCCEEDED");
        assertThat(sent).extracting(JobProgressEvent::seq).isSorted();
    }

    @Test
    void aCountOfAnotherStepIsKeptAndALaterHeartbeatWaitsBehindTheCount() {
        ProgressQueue queue = new ProgressQueue();
        queue.add(count(Steps.SEARCH, 3));
        queue.add(count(Steps.MERGE, 4));
        queue.add(heartbeat());
        assertThat(drain(queue)).extracting(ProgressQueueTest::describe)
                .containsExactly("count 3", "count 4", "heartbeat");
    }

    @Test
    void aFailedSendIsTriedAgainFirstWithADelayThatDoublesUpToTheMaximum() {
        ProgressQueue queue = new ProgressQueue();
        queue.add(step(Steps.SPLIT, StepStatus.RUNNING));
        queue.add(step(Steps.SPLIT, StepStatus.COMPLETED));
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            assertThat(describe(queue.next())).isEqualTo("split RUNNING");
            assertThat(queue.next()).as("one in flight at a time").isNull();
            assertThat(queue.failed()).isTrue();
            delays.add(queue.backoff());
        }
        assertThat(delays).startsWith(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800))
                .endsWith(ProgressQueue.MAX_BACKOFF).isSorted();
        assertThat(queue.size()).isEqualTo(2);

        assertThat(drain(queue)).extracting(ProgressQueueTest::describe)
                .containsExactly("split RUNNING", "split COMPLETED");
        assertThat(queue.failures()).isZero();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aHeartbeatThatFailedIsNotSentAgainOnceANewerEventWaits() {
        ProgressQueue queue = new ProgressQueue();
        queue.add(heartbeat());
        queue.next();
        queue.add(count(Steps.SEARCH, 2));
        assertThat(queue.failed()).isTrue();
        assertThat(drain(queue)).extracting(ProgressQueueTest::describe).containsExactly("count 2");
    }

    @Test
    void aCancelledAttemptGivesUpAtTheFirstFailureWhileAnyOtherNeverDoes() {
        ProgressQueue running = new ProgressQueue();
        running.add(outcome(JobStatus.FAILED));
        for (int i = 0; i < 100; i++) {
            running.next();
            assertThat(running.failed()).isTrue();
        }
        assertThat(running.size()).isEqualTo(1);

        ProgressQueue cancelled = new ProgressQueue();
        cancelled.add(step(Steps.SEARCH, StepStatus.RUNNING));
        cancelled.next();
        cancelled.add(outcome(JobStatus.CANCELLED));
        assertThat(cancelled.failed()).isFalse();
        assertThat(cancelled.isEmpty()).isTrue();
    }

    private static List<JobProgressEvent> drain(ProgressQueue queue) {
        List<JobProgressEvent> sent = new ArrayList<>();
        for (JobProgressEvent next = queue.next(); next != null; next = queue.next()) {
            sent.add(next);
            queue.delivered();
        }
        return sent;
    }

    private static String describe(JobProgressEvent e) {
        if (e.heartbeat()) {
            return "heartbeat";
        }
        if (e.status().isTerminal()) {
            return e.status().name();
        }
        return e.stepStatus() == null ? "count " + e.done() : e.step() + " " + e.stepStatus();
    }

    private JobProgressEvent heartbeat() {
        return event(null, null, 0, JobStatus.RUNNING, true);
    }

    private JobProgressEvent count(String step, int done) {
        return event(step, null, done, JobStatus.RUNNING, false);
    }

    private JobProgressEvent step(String step, StepStatus status) {
        return event(step, status, 0, JobStatus.RUNNING, false);
    }

    private JobProgressEvent outcome(JobStatus status) {
        return event(Steps.FINALIZE, StepStatus.COMPLETED, 0, status, false);
    }

    private JobProgressEvent event(String step, StepStatus stepStatus, int done, JobStatus status, boolean heartbeat) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, ++seq, step, stepStatus, done, 1000, status,
                null, null, null, heartbeat, "worker-1", Instant.now());
    }
}
