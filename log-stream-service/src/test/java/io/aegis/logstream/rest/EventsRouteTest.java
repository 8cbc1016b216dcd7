package io.aegis.logstream.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.messaging.KafkaIngest;
import io.aegis.logstream.service.EventLog;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
class EventsRouteTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    private static UUID job(String owner, JobStatus status) {
        return JobServiceStandIn.job(owner, status);
    }

    @Inject
    EventLog eventLog;

    @Inject
    KafkaIngest ingest;

    /**
     * Each topic has its own consumer, and each joins its group on its own time after start. The
     * live scenario needs them all consuming, as in a running system, so a warm-up job's events
     * must have reached the replay buffer first.
     */
    private void awaitConsumersLive() {
        UUID warmUp = UUID.randomUUID();
        KafkaRecords.send(kafka, Topics.JOB_LOG, warmUp.toString(), new EventSerializer(), List.of(new JobLogEvent(1,
                warmUp, 1, 1, Steps.SEARCH, LogStream.STDOUT, "blastp", "warm-up", Instant.now())));
        KafkaRecords.send(kafka, Topics.JOB_PROGRESS, warmUp.toString(), new EventSerializer(), List.of(
                new JobProgressEvent(1, warmUp, 1, 2, Steps.SEARCH, StepStatus.RUNNING, 0, 1, JobStatus.RUNNING,
                        null, null, null, false, "w", Instant.now())));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventLog.after(warmUp, "0-0", 10).await().indefinitely().size() == 2);
    }

    @Test
    void aLiveStreamHasTheSnapshotThenEveryEventOnceInOrderThenOneTerminalEvent() throws Exception {
        awaitConsumersLive();
        UUID id = job("alice", JobStatus.RUNNING);
        CompletableFuture<List<Event>> stream = CompletableFuture.supplyAsync(() -> read(id, "alice", null));
        Thread.sleep(1500); // the client is connected and waiting for live events
        List<JobLogEvent> logs = new ArrayList<>();
        List<JobProgressEvent> progress = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            logs.add(new JobLogEvent(1, id, 1, i, Steps.SEARCH, LogStream.STDOUT, "blastp", "line " + i, Instant.now()));
            progress.add(new JobProgressEvent(1, id, 1, 100 + i, Steps.SEARCH, StepStatus.RUNNING, i, 5,
                    JobStatus.RUNNING, null, null, null, false, "w", Instant.now()));
        }
        KafkaRecords.send(kafka, Topics.JOB_LOG, id.toString(), new EventSerializer(), logs);
        KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id.toString(), new EventSerializer(), progress);
        KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(), List.of(state(id, JobStatus.SUCCEEDED)));
        List<Event> events = stream.get(60, TimeUnit.SECONDS);

        assertThat(events.getFirst().type()).isEqualTo("snapshot");
        // no artifact-service here: after the terminal event the stream waits out artifact-wait and ends
        assertThat(events.get(events.size() - 2).type()).isEqualTo("succeeded");
        assertThat(events.getLast()).isEqualTo(new Event(null, "end", "{\"finalized\":false}"));
        assertThat(events.stream().filter(e -> e.type().equals("log")).map(e -> e.data().replaceAll(".*\"line\":\"([^\"]+)\".*", "$1")))
                .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
        assertThat(events.stream().filter(e -> e.type().equals("step"))).hasSize(5);
        assertThat(events.stream().map(Event::id)).doesNotHaveDuplicates();

        // resuming after the third event gives exactly the rest
        List<Event> resumed = read(id, "alice", events.get(3).id());
        assertThat(resumed.getFirst().type()).isEqualTo("snapshot");
        assertThat(resumed.subList(1, resumed.size())).isEqualTo(events.subList(4, events.size()));
    }

    @Test
    void readinessReportsEveryTopicsConsumerOnceAssigned() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kafka-consumers-assigned' }.data.'job-log'", equalTo("assigned"))
                .body("checks.find { it.name == 'kafka-consumers-assigned' }.status", equalTo("UP")));
    }

    @Test
    void aSubscriberAfterTheEndGetsTheSnapshotAndTheTerminalEventAtOnce() {
        UUID id = job("alice", JobStatus.FAILED);
        List<Event> events = read(id, "alice", null);
        assertThat(events).extracting(Event::type).containsExactly("snapshot", "failed", "end");
    }

    /**
     * artifact-service finalizes a job after its end and announces each artifact, the manifest last:
     * a client sees the terminal event at once, then every artifact event, then {@code end}, however
     * soon after the end the artifacts come (a job that reused results has them within 100 ms, while
     * the terminal event waits out its grace) and whenever the client comes.
     */
    @Test
    void aStreamCarriesEveryArtifactEventAfterTheTerminalOneAndEndsOnceTheManifestSettled() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        awaitConsumersLive();
        UUID id = job("alice", JobStatus.RUNNING);
        List<String> names = List.of("hits.tsv", "hits.json", "summary.json", "steps.json", "log-0001.txt.gz");
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("alice")))) {
            assertThat(stream.next().type()).isEqualTo("snapshot");
            KafkaRecords.send(kafka, Topics.JOB_LOG, id.toString(), new EventSerializer(), List.of(log(id, 1)));
            assertThat(stream.next().type()).isEqualTo("log");
            KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(), List.of(state(id, JobStatus.SUCCEEDED)));
            // the first artifacts are on their way before the terminal event is buffered
            KafkaRecords.send(kafka, Topics.ARTIFACT_STATE, id.toString(), new EventSerializer(),
                    names.subList(0, 2).stream().map(name -> artifact(id, name, ArtifactState.READY)).toList());
            assertThat(stream.next().type()).isEqualTo("succeeded");
            assertThat(stream.next().type()).isEqualTo("artifact");
            assertThat(stream.next().type()).isEqualTo("artifact");
            List<ArtifactStateEvent> rest = new ArrayList<>(names.subList(2, names.size()).stream()
                    .map(name -> artifact(id, name, ArtifactState.READY)).toList());
            rest.add(artifact(id, "manifest.json", ArtifactState.READY));
            KafkaRecords.send(kafka, Topics.ARTIFACT_STATE, id.toString(), new EventSerializer(), rest);
            List<Event> after = new ArrayList<>();
            for (Event event = stream.next(); event != null; event = stream.next()) {
                after.add(event);
            }
            assertThat(after).extracting(Event::type).containsExactly("artifact", "artifact", "artifact", "artifact", "end");
            assertThat(after.getLast().data()).isEqualTo("{\"finalized\":true}");
        }

        // a client that comes after the end replays the terminal event and every artifact event from the buffer
        JobServiceStandIn.ended(id, JobStatus.SUCCEEDED);
        List<Event> late = read(id, "alice", null);
        assertThat(late).extracting(Event::type).containsExactly("snapshot", "succeeded", "artifact", "artifact",
                "artifact", "artifact", "artifact", "artifact", "end");
        assertThat(late.subList(2, 8)).extracting(e -> EventJson.decode(e.data(), JsonNode.class).path("name").asText())
                .containsExactly("hits.tsv", "hits.json", "summary.json", "steps.json", "log-0001.txt.gz", "manifest.json");
        assertThat(late.getLast().data()).isEqualTo("{\"finalized\":true}");
        // one that resumes in the middle gets the rest; one that resumes after the manifest only the end
        assertThat(read(id, "alice", late.get(4).id())).extracting(Event::type)
                .containsExactly("snapshot", "artifact", "artifact", "artifact", "end");
        assertThat(read(id, "alice", late.get(7).id())).extracting(Event::type).containsExactly("snapshot", "end");
    }

    private static ArtifactStateEvent artifact(UUID id, String name, ArtifactState state) {
        return new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, id, "alice", name, state, 10, "ab", Instant.now());
    }

    @Test
    void aJobThatEndedBeforeItsTerminalEventReachedTheBufferEndsWithThatEventOnceItComes() throws Exception {
        // as after a restart: job-service says the job ended while this replica is still catching up
        UUID id = job("alice", JobStatus.SUCCEEDED);
        String first = append(id, 1, log(id, 1)).orElseThrow();
        append(id, 2, log(id, 2));
        CompletableFuture<List<Event>> stream = CompletableFuture.supplyAsync(() -> read(id, "alice", first));
        Thread.sleep(1500);
        assertThat(stream).isNotDone();
        String terminal = eventLog.append(id, "terminal", 0, StreamEvent
                .of(state(id, JobStatus.SUCCEEDED)).orElseThrow()).await().indefinitely().orElseThrow();

        List<Event> events = stream.get(30, TimeUnit.SECONDS);
        assertThat(events).extracting(Event::type).containsExactly("snapshot", "log", "succeeded", "end");
        assertThat(events.get(2).id()).isEqualTo(terminal);
    }

    /**
     * After a broker restart the topics' consumers come back one at a time, and a job's end can be
     * consumed before its last lines and progress. The end names the worker's last log and progress
     * seqs, and waits in this replica, past its grace, until the buffer has them: the client gets every
     * line, then the end.
     */
    @Test
    void anEndConsumedBeforeTheJobsLastLinesStillComesAfterEveryOneOfThem() throws Exception {
        awaitConsumersLive();
        UUID id = job("alice", JobStatus.RUNNING);
        // as the worker numbers them: the step starts (1), six lines (2-7), the outcome (8), which names line 7
        List<JobLogEvent> lines = new ArrayList<>();
        for (int seq = 2; seq <= 7; seq++) {
            lines.add(log(id, seq));
        }
        List<JobProgressEvent> progress = List.of(
                new JobProgressEvent(1, id, 1, 1, Steps.SEARCH, StepStatus.RUNNING, 0, 5, JobStatus.RUNNING,
                        null, null, null, false, "w", Instant.now()),
                new JobProgressEvent(1, id, 1, 8, Steps.SEARCH, StepStatus.COMPLETED, 5, 5, JobStatus.SUCCEEDED,
                        null, null, null, false, "w", Instant.now(), 7L));
        JobStateEvent end = new JobStateEvent(1, id, "alice", JobStatus.SUCCEEDED, Steps.SEARCH, 5, 5, null, null, 1,
                7, null, Instant.now(), 7L, 8L);
        List<Event> events = new ArrayList<>();
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"),
                Map.of(AegisHeaders.IDENTITY, TestCallers.identity("alice")))) {
            assertThat(stream.next().type()).isEqualTo("snapshot");
            KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(), List.of(end));
            await().atMost(Duration.ofSeconds(30)).until(() -> ingest.holdsEndOf(id));
            // held past its grace (500 ms), where it used to go in before the lines that came late
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> !eventLog.hasTerminal(id).await().indefinitely());
            KafkaRecords.send(kafka, Topics.JOB_LOG, id.toString(), new EventSerializer(), lines);
            KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id.toString(), new EventSerializer(), progress);
            for (Event event = stream.next(); event != null; event = stream.next()) {
                events.add(event);
            }
        }

        String all = events.toString();
        assertThat(events.stream().filter(e -> e.type().equals("log")).map(e -> EventJson.decode(e.data(),
                JsonNode.class).path("seq").asLong())).as(all).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(events).extracting(Event::type).as(all).doesNotContain("gap")
                .containsOnlyOnce("succeeded").endsWith("succeeded", "end");
        assertThat(events.stream().filter(e -> e.type().equals("step")).map(e -> EventJson.decode(e.data(),
                JsonNode.class).path("seq").asLong())).as(all).containsExactly(1L, 8L);
    }

    private Optional<String> append(UUID id, long position, JobLogEvent event) {
        return eventLog.append(id, "test", position, StreamEvent.of(event).orElseThrow())
                .await().indefinitely();
    }

    private static JobLogEvent log(UUID id, long seq) {
        return new JobLogEvent(1, id, 1, seq, Steps.SEARCH, LogStream.STDOUT, "blastp", "line " + seq, Instant.now());
    }

    @Test
    void unknownJobsAndOtherUsersJobsAreNotFoundAndAMissingCallerIsUnauthenticated() {
        UUID id = job("alice", JobStatus.RUNNING);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + id + "/events")
                .then().statusCode(404).body("code", equalTo("JOB_NOT_FOUND"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + UUID.randomUUID() + "/events")
                .then().statusCode(404);
        given().get("/api/v1/jobs/" + id + "/events").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
    }

    private static JobStateEvent state(UUID id, JobStatus status) {
        return new JobStateEvent(1, id, "alice", status, Steps.FINALIZE, 5, 5, null, null, 1, 7, null, Instant.now());
    }

    private List<Event> read(UUID id, String user, String lastEventId) {
        Map<String, String> headers = lastEventId == null ? Map.of(AegisHeaders.IDENTITY, TestCallers.identity(user))
                : Map.of(AegisHeaders.IDENTITY, TestCallers.identity(user), "Last-Event-ID", lastEventId);
        return SseClient.read(jobs.resolve(id + "/events"), headers);
    }
}
