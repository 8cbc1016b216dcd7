package io.aegis.logstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.logstream.rest.JobServiceStandIn;
import io.aegis.logstream.service.EventLog;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.PrometheusScrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * log-stream-service's side of the events contract against the real broker: a record it cannot read,
 * on any topic it consumes, is kept in the dead letters as it came, with the {@code dead-letter-*}
 * headers, and counted ({@code aegis_dead_letters_total}); and the consumer goes on: the next record
 * of the topic reaches the job's stream. Its batch consumers (progress, log lines, artifact states)
 * send such a record themselves, its job states' consumer by the channel's failure strategy.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
class EventContractTest {

    private static final Serializer<Object> RAW = (topic, value) -> (byte[]) value;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    EventLog eventLog;

    @Test
    void anUnreadableProgressRecordIsKeptInTheDeadLettersCountedAndTheNextIsStreamed() {
        UUID id = UUID.randomUUID();
        assertDeadLetteredThenNextStreamed(Topics.JOB_PROGRESS, "job-progress", id, new JobProgressEvent(1, id, 1, 1,
                Steps.SEARCH, StepStatus.RUNNING, 0, 5, JobStatus.RUNNING, null, null, null, false, "w", Instant.now()), "step");
    }

    @Test
    void anUnreadableLogLineIsKeptInTheDeadLettersCountedAndTheNextIsStreamed() {
        UUID id = UUID.randomUUID();
        assertDeadLetteredThenNextStreamed(Topics.JOB_LOG, "job-log", id, new JobLogEvent(1, id, 1, 1, Steps.SEARCH,
                LogStream.STDOUT, "blastp", "after the broken one", Instant.now()), "log");
    }

    @Test
    void anUnreadableArtifactStateIsKeptInTheDeadLettersCountedAndTheNextIsStreamed() {
        UUID id = UUID.randomUUID();
        // an artifact is streamed after its attempt's end: the job ends first
        KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(), List.of(state(id, JobStatus.FAILED)));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventLog.hasTerminal(id).await().indefinitely());
        assertDeadLetteredThenNextStreamed(Topics.ARTIFACT_STATE, "artifact-state", id, new ArtifactStateEvent(
                ArtifactStateEvent.SCHEMA, id, "alice", ArtifactStateEvent.MANIFEST, ArtifactState.READY, 10, "ab",
                Instant.now(), 1), "artifact");
    }

    @Test
    void anUnreadableJobStateIsKeptInTheDeadLettersByItsChannelsStrategyCountedAndTheNextIsStreamed() {
        UUID id = UUID.randomUUID();
        assertDeadLetteredThenNextStreamed(Topics.JOB_STATE, "job-state", id, state(id, JobStatus.SUCCEEDED), "succeeded");
    }

    /**
     * Publishes a record of {@code topic} that cannot be read, then {@code next}, for the job {@code id};
     * asserts that {@code next} reached the job's buffer (as a {@code nextType} event), that the broken
     * one is in the dead letters, and that it was counted once for the topic and {@code channel}.
     */
    private void assertDeadLetteredThenNextStreamed(String topic, String channel, UUID id, Object next, String nextType) {
        String[] series = {"topic", topic, "channel", channel};
        double before = PrometheusScrape.of(metrics).valueOrZero("aegis_dead_letters_total", series);
        byte[] unreadable = ("{\"jobId\": \"" + id + "\", \"schema\": ").getBytes(StandardCharsets.UTF_8);

        KafkaRecords.send(kafka, topic, id.toString(), RAW, List.of(unreadable));
        KafkaRecords.send(kafka, topic, id.toString(), new EventSerializer(), List.of(next));

        await().atMost(Duration.ofSeconds(60)).until(() -> eventLog.after(id, "0-0", 10).await().indefinitely()
                .stream().anyMatch(event -> event.type().equals(nextType)));
        List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.records(kafka, Topics.DEAD_LETTER, id.toString(),
                new ByteArrayDeserializer(), found -> !found.isEmpty(), Duration.ofSeconds(30));
        assertThat(dead).as("dead letters of %s", topic).singleElement().satisfies(record -> {
            assertThat(record.value()).as("as it came").isEqualTo(unreadable);
            assertThat(header(record, "dead-letter-topic")).isEqualTo(topic);
            assertThat(header(record, "dead-letter-partition")).isNotBlank();
            assertThat(header(record, "dead-letter-offset")).isNotBlank();
            assertThat(header(record, "dead-letter-reason")).isNotBlank();
            assertThat(header(record, "dead-letter-exception-class-name")).isNotBlank();
        });
        // counted once the broker acknowledged it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(PrometheusScrape.of(metrics)
                .valueOrZero("aegis_dead_letters_total", series)).isEqualTo(before + 1));
    }

    private static JobStateEvent state(UUID id, JobStatus status) {
        return new JobStateEvent(1, id, "alice", status, Steps.SEARCH, 0, 5, null, null, 1, 10L, null, Instant.now());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
