package io.aegis.logstream.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.EventJson;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.logstream.domain.Outbox;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.service.EventLog;
import io.aegis.logstream.service.Hub;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.SseClient.Connection;
import io.aegis.testing.SseClient.Event;
import io.aegis.testing.SseClient;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A job that failed, was retried (job-service queues it again under its id with the next attempt)
 * and succeeded on its second attempt: its stream follows the attempt that runs now, against a real
 * Kafka broker and Redis.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
class RetriedJobStreamTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    @Inject
    EventLog eventLog;

    @Inject
    Hub hub;

    @Inject
    FollowedJobs followed;

    @Test
    void aRetriedJobsStreamFollowsItsNewAttemptLiveAndEndsAtItsEndNeverAtTheEarlierOne() {
        awaitConsumersLive();
        UUID id = JobServiceStandIn.job("alice", JobStatus.RUNNING);
        JobServiceStandIn.attempt(id, 1, JobStatus.RUNNING);

        // a client that watches attempt 1 ends at its failure, as the job did then
        List<Event> firstAttempt = new ArrayList<>();
        try (Connection during = open(id, null)) {
            assertThat(during.next().type()).isEqualTo("snapshot");
            send(Topics.JOB_LOG, id, log(id, 1, 1));
            send(Topics.JOB_STATE, id, state(id, JobStatus.FAILED, 1));
            send(Topics.ARTIFACT_STATE, id, manifest(id));
            for (Event event = during.next(); event != null; event = during.next()) {
                firstAttempt.add(event);
            }
        }
        assertThat(firstAttempt).extracting(Event::type).containsExactly("log", "failed", "artifact", "end");
        assertThat(firstAttempt.getLast().data()).isEqualTo("{\"finalized\":true}");
        String cursorOfAttempt1 = firstAttempt.get(2).id();
        assertThat(eventLog.ends(id).await().indefinitely().terminal()).isPresent();

        // the retry: the job is queued again as attempt 2, and its earlier end is no longer its end
        JobServiceStandIn.attempt(id, 2, JobStatus.QUEUED);
        send(Topics.JOB_STATE, id, state(id, JobStatus.QUEUED, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> eventLog.ends(id).await().indefinitely().terminal().isEmpty());
        assertThat(eventLog.hasTerminal(id).await().indefinitely()).isFalse();

        List<Event> afterRetry = new ArrayList<>();
        List<Event> resumed = new ArrayList<>();
        try (Connection fresh = open(id, null); Connection again = open(id, cursorOfAttempt1)) {
            assertThat(fresh.next().type()).isEqualTo("snapshot");
            assertThat(again.next().type()).isEqualTo("snapshot");
            // both streams are open while attempt 2 runs: its events reach them as they come
            send(Topics.JOB_PROGRESS, id, step(id, 2, 1, StepStatus.RUNNING, JobStatus.RUNNING));
            send(Topics.JOB_LOG, id, log(id, 2, 2));
            assertThat(fresh.next().type()).isEqualTo("step");
            assertThat(fresh.next().type()).isEqualTo("log");
            assertThat(again.next().type()).isEqualTo("step");
            assertThat(again.next().type()).isEqualTo("log");
            send(Topics.JOB_STATE, id, state(id, JobStatus.SUCCEEDED, 2));
            send(Topics.ARTIFACT_STATE, id, manifest(id));
            for (Event event = fresh.next(); event != null; event = fresh.next()) {
                afterRetry.add(event);
            }
            for (Event event = again.next(); event != null; event = again.next()) {
                resumed.add(event);
            }
        }
        String all = afterRetry + " / " + resumed;
        // a client that came after the retry: attempt 2 only, to its end and its finalization
        assertThat(afterRetry).extracting(Event::type).as(all).containsExactly("succeeded", "artifact", "end");
        assertThat(afterRetry.getLast().data()).isEqualTo("{\"finalized\":true}");
        assertThat(attemptOf(afterRetry.getFirst())).isEqualTo(2);
        // one that resumes from attempt 1 carries on into attempt 2 and ends with it too
        assertThat(resumed).as(all).isEqualTo(afterRetry);

        // whoever comes later starts at the end of attempt 2, never at attempt 1's
        JobServiceStandIn.attempt(id, 2, JobStatus.SUCCEEDED);
        List<Event> late = read(id, null);
        assertThat(late).extracting(Event::type).containsExactly("snapshot", "succeeded", "artifact", "end");
        assertThat(late.get(1).id()).isEqualTo(afterRetry.getFirst().id());
        assertThat(late.getLast().data()).isEqualTo("{\"finalized\":true}");
        // and one that resumes from attempt 1's end replays all of attempt 2, with one end in all
        List<Event> replayed = read(id, firstAttempt.get(1).id());
        assertThat(replayed).extracting(Event::type)
                .containsExactly("snapshot", "step", "log", "succeeded", "artifact", "end");
        assertThat(replayed.subList(1, 3)).extracting(RetriedJobStreamTest::attemptOf).containsOnly(2);
    }

    @Test
    void aClientThatOpensARetriedJobBeforeItsNewAttemptRunsGetsThatAttemptAloneAndItsEnd() {
        awaitConsumersLive();
        UUID id = JobServiceStandIn.job("alice", JobStatus.RUNNING);
        send(Topics.JOB_PROGRESS, id, step(id, 1, 1, StepStatus.RUNNING, JobStatus.RUNNING));
        send(Topics.JOB_LOG, id, log(id, 1, 2));
        send(Topics.JOB_STATE, id, state(id, JobStatus.CANCELLED, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> eventLog.hasTerminal(id).await().indefinitely());
        send(Topics.ARTIFACT_STATE, id, manifest(id));
        await().atMost(Duration.ofSeconds(30)).until(() -> eventLog.ends(id).await().indefinitely().finalized().isPresent());

        // the web app opens the stream right after the retry's 202, with no Last-Event-ID
        retried(id);
        List<Event> events = new ArrayList<>();
        try (Connection stream = open(id, null)) {
            assertThat(stream.next().type()).isEqualTo("snapshot");
            send(Topics.JOB_LOG, id, log(id, 2, 1));
            send(Topics.JOB_STATE, id, state(id, JobStatus.SUCCEEDED, 2));
            send(Topics.ARTIFACT_STATE, id, manifest(id));
            for (Event event = stream.next(); event != null; event = stream.next()) {
                events.add(event);
            }
        }
        assertThat(events).extracting(Event::type).as(events.toString())
                .containsExactly("log", "succeeded", "artifact", "end");
        assertThat(events.getFirst().data()).contains("\"line\":\"attempt 2 line 1\"");
        assertThat(events.getLast().data()).isEqualTo("{\"finalized\":true}");
    }

    /**
     * artifact-service tells the attempt each artifact was built for. The failed attempt's manifest,
     * built late, comes after the retry: it is buffered at once as that attempt's (not held up until
     * the new attempt ends), a stream of the new attempt never shows it, and it does not count as the
     * new attempt's finalization; the new attempt's own manifest ends the stream.
     */
    @Test
    void anEarlierAttemptsArtifactThatComesAfterTheRetryIsHistoryAndDoesNotFinalizeTheNewAttempt() {
        awaitConsumersLive();
        UUID id = JobServiceStandIn.job("alice", JobStatus.RUNNING);
        send(Topics.JOB_LOG, id, log(id, 1, 1));
        send(Topics.JOB_STATE, id, state(id, JobStatus.FAILED, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> eventLog.hasTerminal(id).await().indefinitely());
        retried(id);

        List<Event> events = new ArrayList<>();
        try (Connection stream = open(id, null)) {
            assertThat(stream.next().type()).isEqualTo("snapshot");
            long sent = System.nanoTime();
            send(Topics.ARTIFACT_STATE, id, manifest(id, 1));
            // buffered at once, long before attempt 2 could end
            await().atMost(Duration.ofSeconds(10)).until(() -> eventLog.after(id, "0-0", 10).await().indefinitely()
                    .stream().anyMatch(e -> e.type().equals("artifact")));
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(10));
            assertThat(eventLog.ends(id).await().indefinitely().terminal()).isEmpty();

            send(Topics.JOB_LOG, id, log(id, 2, 1));
            send(Topics.JOB_STATE, id, state(id, JobStatus.SUCCEEDED, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> eventLog.hasTerminal(id).await().indefinitely());
            assertThat(eventLog.ends(id).await().indefinitely().finalized())
                    .as("attempt 1's manifest does not finalize attempt 2").isEmpty();
            send(Topics.ARTIFACT_STATE, id, manifest(id, 2));
            for (Event event = stream.next(); event != null; event = stream.next()) {
                events.add(event);
            }
        }
        assertThat(events).extracting(Event::type).as(events.toString())
                .containsExactly("log", "succeeded", "artifact", "end");
        assertThat(attemptOf(events.get(2))).isEqualTo(2);
        assertThat(events.getLast().data()).isEqualTo("{\"finalized\":true}");
    }

    /**
     * The hub stops following a job (its pods) at its end; a retried job runs again and has pods of
     * its own, so an event of the later attempt has the hub follow the job again, for as long as it
     * has readers and until that attempt's end.
     */
    @Test
    void theHubFollowsARetriedJobAgainUntilItsNewAttemptEnds() {
        UUID id = UUID.randomUUID();
        Outbox outbox = new Outbox(64);
        outbox.open();
        Hub.Membership reader = hub.join(id, outbox, Runnable::run, false).await().indefinitely();
        try {
            assertThat(followed.started(id)).isEqualTo(1);
            appendAndSignal(id, "test:log", 1, log(id, 1, 1));
            appendAndSignal(id, "terminal", 1, state(id, JobStatus.FAILED, 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> followed.stopped(id) == 1);

            // a line of attempt 1 that comes after its end does not follow the job again
            appendAndSignal(id, "test:log", 2, log(id, 1, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered(outbox).contains("attempt 1 line 2"));
            assertThat(followed.started(id)).isEqualTo(1);

            appendAndSignal(id, "test:log", 3, log(id, 2, 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> followed.started(id) == 2);
            appendAndSignal(id, "terminal", 3, state(id, JobStatus.SUCCEEDED, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> followed.stopped(id) == 2);
        } finally {
            reader.close();
        }
        assertThat(followed.started(id)).isEqualTo(2);
        assertThat(followed.stopped(id)).isEqualTo(2);
    }

    private final Map<Outbox, StringBuilder> drained = new HashMap<>();

    /** Everything the outbox was given so far, as text. */
    private String delivered(Outbox outbox) {
        StringBuilder text = drained.computeIfAbsent(outbox, o -> new StringBuilder());
        outbox.drain(1000).forEach(event -> text.append(event.data()).append('\n'));
        return text.toString();
    }

    private void appendAndSignal(UUID id, String origin, long position, Object event) {
        eventLog.append(id, origin, position, StreamEvent.of(event).orElseThrow()).await().indefinitely();
        hub.signal(id);
    }

    /** Every topic's consumer is consuming, as in a running system: a warm-up job's events reached the buffer. */
    private void awaitConsumersLive() {
        UUID warmUp = UUID.randomUUID();
        send(Topics.JOB_LOG, warmUp, log(warmUp, 1, 1));
        send(Topics.JOB_PROGRESS, warmUp, step(warmUp, 1, 2, StepStatus.RUNNING, JobStatus.RUNNING));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventLog.after(warmUp, "0-0", 10).await().indefinitely().size() == 2);
    }

    /** job-service queues the job again as attempt 2; once the buffer has it, the earlier end is no longer the job's. */
    private void retried(UUID id) {
        JobServiceStandIn.attempt(id, 2, JobStatus.QUEUED);
        send(Topics.JOB_STATE, id, state(id, JobStatus.QUEUED, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> !eventLog.hasTerminal(id).await().indefinitely());
    }

    private void send(String topic, UUID id, Object event) {
        KafkaRecords.send(kafka, topic, id.toString(), new EventSerializer(), List.of(event));
    }

    private static JobLogEvent log(UUID id, int attempt, long seq) {
        return new JobLogEvent(1, id, attempt, seq, Steps.SEARCH, LogStream.STDOUT, "blastp",
                "attempt " + attempt + " line " + seq, Instant.now());
    }

    private static JobProgressEvent step(UUID id, int attempt, long seq, StepStatus stepStatus, JobStatus status) {
        return new JobProgressEvent(1, id, attempt, seq, Steps.SEARCH, stepStatus, 0, 5, status, null, null, null,
                false, "w", Instant.now());
    }

    private static JobStateEvent state(UUID id, JobStatus status, int attempt) {
        return new JobStateEvent(1, id, "alice", status, Steps.SEARCH, 0, 5, null, null, attempt, attempt * 10L, null,
                Instant.now());
    }

    /** A manifest as a producer that does not tell its attempt announces it. */
    private static ArtifactStateEvent manifest(UUID id) {
        return new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, id, "alice", ArtifactStateEvent.MANIFEST,
                ArtifactState.READY, 10, "ab", Instant.now());
    }

    /** A manifest built for the job's {@code attempt}, as artifact-service announces it. */
    private static ArtifactStateEvent manifest(UUID id, int attempt) {
        return new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, id, "alice", ArtifactStateEvent.MANIFEST,
                ArtifactState.READY, 10, "ab", Instant.now(), attempt);
    }

    private static int attemptOf(Event event) {
        return EventJson.decode(event.data(), JsonNode.class).path("attempt").asInt();
    }

    private Connection open(UUID id, String lastEventId) {
        return SseClient.open(jobs.resolve(id + "/events"), headers(lastEventId));
    }

    private List<Event> read(UUID id, String lastEventId) {
        return SseClient.read(jobs.resolve(id + "/events"), headers(lastEventId));
    }

    private static Map<String, String> headers(String lastEventId) {
        return lastEventId == null ? Map.of(AegisHeaders.IDENTITY, TestCallers.identity("alice"))
                : Map.of(AegisHeaders.IDENTITY, TestCallers.identity("alice"), "Last-Event-ID", lastEventId);
    }
}
