package io.aegis.logstream.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
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

    @Test
    void aStreamOpenWhileRedisRestartsStillGetsEveryLineAndEndsWithItsTerminalEvent() throws Exception {
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
            Thread.sleep(500);
            sendLogs(id, 11, 20);
            KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(),
                    List.of(StreamsTest.state(id, JobStatus.SUCCEEDED)));
            outage.get(30, TimeUnit.SECONDS);

            for (Event event = stream.next(); event != null; event = stream.next()) {
                seen.add(event);
            }
            assertThat(seen.getLast().type()).as(seen.toString()).isEqualTo("succeeded");
            assertThat(seen.stream().filter(e -> e.type().equals("log")).map(StreamsTest::line))
                    .as(seen.toString()).containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(n -> "line " + n).toList());
            // the buffer came back empty: the client is told it cannot know whether it missed anything
            assertThat(seen).extracting(Event::type).contains("gap");
        }
    }

    private void sendLogs(UUID id, int from, int to) {
        KafkaRecords.send(kafka, Topics.JOB_LOG, id.toString(), new EventSerializer(), IntStream.rangeClosed(from, to)
                .mapToObj(n -> new JobLogEvent(1, id, 1, n, Steps.SEARCH, LogStream.STDOUT, "blastp", "line " + n,
                        Instant.now())).toList());
    }
}
