package io.aegis.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.CloudEvents;
import io.aegis.events.EventJson;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.EventContract;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The worker's side of the events contract against the real broker: its progress and log records are
 * CloudEvents the SDK's Kafka binding reads, with ids that follow from the events and data valid
 * against their topics' schemas; and a request it cannot read is kept in the dead letters while the
 * next request runs.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class EventContractTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Test
    void anUnreadableRequestIsKeptInTheDeadLettersAndTheNextRequestRunsPublishingCloudEvents() throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.jobDir(job));
        Files.writeString(store.input(job), ">q1\nNRNADVMTELGVDLKNNPIAIIPIRKIRKIYPNPDTEQVWRRIVHLEALCIFWTQSIPLA\n");
        byte[] unreadable = "{\"jobId\": [".getBytes(StandardCharsets.UTF_8);
        Serializer<Object> raw = (topic, value) -> (byte[]) value;
        KafkaRecords.send(kafka, Topics.JOB_REQUESTED, job.toString(), raw, List.of(unreadable));
        KafkaRecords.send(kafka, Topics.JOB_REQUESTED, job.toString(), new EventSerializer(), List.of(
                new JobRequestedEvent(JobRequestedEvent.SCHEMA, job, "alice", "blast", "testdb",
                        Map.of("program", "blastp"), StoreLayout.inputRef(job), 1, 1, Instant.now())));

        List<ConsumerRecord<String, byte[]>> progress = records(Topics.JOB_PROGRESS, job, found -> found.stream()
                .anyMatch(r -> EventJson.decode(r.value(), JobProgressEvent.class).status().isTerminal()));
        assertThat(EventJson.decode(progress.getLast().value(), JobProgressEvent.class).status())
                .isEqualTo(JobStatus.SUCCEEDED);
        List<ConsumerRecord<String, byte[]>> dead = records(Topics.DEAD_LETTER, job, found -> !found.isEmpty());
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(unreadable);
            assertThat(header(record, "dead-letter-topic")).isEqualTo(Topics.JOB_REQUESTED);
            assertThat(header(record, "dead-letter-reason")).isNotBlank();
        });

        assertThat(progress).allSatisfy(record ->
                assertThat(EventContract.problems(Topics.JOB_PROGRESS, CloudEvents.PIPELINE_WORKER, record)).isEmpty());
        assertThat(progress).allSatisfy(record -> {
            JobProgressEvent event = EventJson.decode(record.value(), JobProgressEvent.class);
            assertThat(EventContract.read(record).getId()).isEqualTo("progress:" + job + ":1:" + event.seq());
        });
        List<ConsumerRecord<String, byte[]>> logs = records(Topics.JOB_LOG, job, found -> !found.isEmpty());
        assertThat(logs).allSatisfy(record ->
                assertThat(EventContract.problems(Topics.JOB_LOG, CloudEvents.PIPELINE_WORKER, record)).isEmpty());
        assertThat(java.util.stream.Stream.concat(progress.stream(), logs.stream())
                .map(record -> EventContract.read(record).getId())).doesNotHaveDuplicates();
    }

    private List<ConsumerRecord<String, byte[]>> records(String topic, UUID job,
                                                        Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> records =
                KafkaRecords.records(kafka, topic, job.toString(), new ByteArrayDeserializer(), done, WAIT);
        assertThat(done.test(records)).as("records of %s on %s", job, topic).isTrue();
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
