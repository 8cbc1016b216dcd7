package io.aegis.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.web.tracing.TraceParents;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Progress queued per attempt, sent in order, and tried again while the broker refuses it. */
class ProgressSenderTest {

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean brokerUp = new AtomicBoolean(true);
    private final List<JobProgressEvent> delivered = new CopyOnWriteArrayList<>();
    private final ProgressSender sender = new ProgressSender(this::send, retries);
    private long seq;

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    private final List<String> sentIn = new CopyOnWriteArrayList<>();

    private CompletionStage<Void> send(JobProgressEvent event, Context trace) {
        if (!brokerUp.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
        }
        delivered.add(event);
        sentIn.add(TraceParents.of(trace));
        return CompletableFuture.completedFuture(null);
    }

    @Test
    void whileTheBrokerRefusesEverythingTheJobGoesOnAndItsStepsAndOutcomeFollowInOrderOnceItIsBack() {
        UUID job = UUID.randomUUID();
        brokerUp.set(false);
        long started = System.nanoTime();
        sender.offer(event(job, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, false), Context.root());
        for (int i = 0; i < 500; i++) {
            sender.offer(event(job, 1, null, null, JobStatus.RUNNING, true), Context.root());
        }
        sender.offer(event(job, 1, Steps.SEARCH, StepStatus.COMPLETED, JobStatus.RUNNING, false), Context.root());
        sender.offer(event(job, 1, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED, false), Context.root());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("offering never waits for the broker")
                .isLessThan(Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> sender.failedSends() >= 3);
        assertThat(delivered).isEmpty();
        assertThat(sender.waiting()).as("the heartbeats are not piled up").isEqualTo(3);

        brokerUp.set(true);
        await().atMost(Duration.ofSeconds(40)).until(() -> sender.waiting() == 0);
        assertThat(delivered).extracting(JobProgressEvent::step, JobProgressEvent::stepStatus, JobProgressEvent::status)
                .containsExactly(
                        tuple(Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING),
                        tuple(Steps.SEARCH, StepStatus.COMPLETED, JobStatus.RUNNING),
                        tuple(Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED));
        assertThat(delivered).extracting(JobProgressEvent::seq).isSorted();
    }

    @Test
    void anAttemptWhoseSendHangsDoesNotHoldUpAnother() {
        UUID slow = UUID.randomUUID();
        UUID fast = UUID.randomUUID();
        CompletableFuture<Void> never = new CompletableFuture<>();
        ProgressSender oneStuck = new ProgressSender((e, trace) -> {
            if (e.jobId().equals(slow) && !never.isDone()) {
                return never;
            }
            delivered.add(e);
            return CompletableFuture.completedFuture(null);
        }, retries);
        oneStuck.offer(event(slow, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, false), Context.root());
        oneStuck.offer(event(slow, 1, Steps.SEARCH, StepStatus.COMPLETED, JobStatus.RUNNING, false), Context.root());
        oneStuck.offer(event(fast, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, false), Context.root());
        oneStuck.offer(event(fast, 2, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, false), Context.root());

        assertThat(delivered).extracting(JobProgressEvent::jobId).containsExactly(fast, fast);
        assertThat(oneStuck.waiting()).isEqualTo(2);
        never.complete(null);
        assertThat(oneStuck.waiting()).isZero();
        assertThat(delivered).extracting(JobProgressEvent::jobId).containsExactly(fast, fast, slow);
    }

    @Test
    void aCancelledAttemptsOutcomeThatCannotBeDeliveredIsGivenUpAndFreesItsQueue() {
        UUID job = UUID.randomUUID();
        brokerUp.set(false);
        sender.offer(event(job, 1, Steps.SEARCH, StepStatus.FAILED, JobStatus.CANCELLED, false), Context.root());
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.waiting() == 0);
        assertThat(sender.failedSends()).isEqualTo(1);
        assertThat(delivered).isEmpty();
    }

    @Test
    void eachEventIsSentInItsAttemptsTraceAfterARetryToo() {
        String first = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String second = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        UUID one = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        brokerUp.set(false);
        sender.offer(event(one, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, false), TraceParents.parent(first));
        sender.offer(event(other, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, false),
                TraceParents.parent(second));
        brokerUp.set(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 2);
        assertThat(delivered).extracting(JobProgressEvent::jobId).containsExactlyInAnyOrder(one, other);
        assertThat(sentIn.get(delivered.get(0).jobId().equals(one) ? 0 : 1)).isEqualTo(first);
        assertThat(sentIn.get(delivered.get(0).jobId().equals(one) ? 1 : 0)).isEqualTo(second);
    }

    private JobProgressEvent event(UUID job, int attempt, String step, StepStatus stepStatus, JobStatus status,
                                   boolean heartbeat) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, job, attempt, ++seq, step, stepStatus, 0, 6, status,
                null, null, null, heartbeat, "worker-1", Instant.now());
    }
}
