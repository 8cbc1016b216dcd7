package io.aegis.logstream.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.Ports;
import io.aegis.testing.RedisServerResource;
import io.aegis.testing.SseClient.Connection;
import io.aegis.testing.SseClient.Event;
import io.aegis.testing.SseClient;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Redis, the replay buffer, goes away mid-stream and comes back empty. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
@WithTestResource(RedisServerResource.class)
class RedisRestartTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    /**
     * While Redis is away every topic's consumer waits for it on its own, and once it is back they
     * append in whatever order their retries come; the job's order holds all the same: its lines and
     * progress, its terminal event, then its artifacts.
     */
    @Test
    void aStreamOpenWhileRedisRestartsStillGetsEveryEventInTheJobsOrderAndEndsAfterItsArtifacts() throws Exception {
        UUID id = JobServiceStandIn.job("alice", JobStatus.RUNNING);
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("alice")))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next().type()).isEqualTo("snapshot");
            sendLogs(id, 1, 10);
            List<Event> seen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                seen.add(stream.next());
            }

            // while Redis is down the job goes on: its events wait in Kafka, none is lost
            CompletableFuture<Void> outage = CompletableFuture.runAsync(() ->
                    RedisServerResource.server().outage(Duration.ofSeconds(3)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !Ports.listening("127.0.0.1", RedisServerResource.server().port()));
            sendLogs(id, 11, 20);
            KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id.toString(), new EventSerializer(), List.of(
                    new JobProgressEvent(1, id, 1, 21, Steps.SEARCH, null, 1, 1, JobStatus.RUNNING, "1 of 1", null,
                            null, false, "w", Instant.now())));
            KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(),
                    List.of(StreamsTest.state(id, JobStatus.SUCCEEDED)));
            KafkaRecords.send(kafka, Topics.ARTIFACT_STATE, id.toString(), new EventSerializer(), Stream.of("hits.tsv",
                    "steps.json", "manifest.json").map(name -> new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, id, "alice",
                    name, ArtifactState.READY, 10, "ab", Instant.now())).toList());
            outage.get(30, TimeUnit.SECONDS);

            for (Event event = stream.next(); event != null; event = stream.next()) {
                seen.add(event);
            }
            assertThat(seen.stream().filter(e -> e.type().equals("log")).map(StreamsTest::line))
                    .as(seen.toString()).containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(n -> "line " + n).toList());
            // the buffer came back empty: the client is told it was lost, as no count of what it held can be known
            List<Event> gaps = seen.stream().filter(e -> e.type().equals("gap")).toList();
            assertThat(gaps).as(seen.toString()).hasSize(1);
            assertThat(gaps.getFirst().data()).isEqualTo("{\"bufferLost\":true}");
            // (lines and progress travel on topics of their own: between them no order is promised)
            List<String> after = seen.subList(seen.indexOf(gaps.getFirst()) + 1, seen.size()).stream().map(Event::type).toList();
            assertThat(after.subList(0, 11)).as(seen.toString()).containsOnly("log", "progress").contains("progress");
            assertThat(after.subList(11, after.size())).as(seen.toString())
                    .containsExactly("succeeded", "artifact", "artifact", "artifact", "end");
            assertThat(seen.getLast().data()).isEqualTo("{\"finalized\":true}");
        }
    }

    private void sendLogs(UUID id, int from, int to) {
        KafkaRecords.send(kafka, Topics.JOB_LOG, id.toString(), new EventSerializer(), IntStream.rangeClosed(from, to)
                .mapToObj(n -> new JobLogEvent(1, id, 1, n, Steps.SEARCH, LogStream.STDOUT, "blastp", "line " + n,
                        Instant.now())).toList());
    }
}
