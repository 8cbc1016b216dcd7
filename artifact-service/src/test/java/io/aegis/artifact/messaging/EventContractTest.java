package io.aegis.artifact.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.artifact.service.JobServiceStandIn;
import io.aegis.artifact.service.LogSpool;
import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.CloudEvents;
import io.aegis.events.EventJson;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.EventContract;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.PrometheusScrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * artifact-service's side of the events contract against the real broker: a job state or a log line
 * it cannot read is kept in the dead letters and counted, and the next one is taken; and every
 * artifact state it announces is a CloudEvent the SDK's Kafka binding reads, with data valid against
 * the topic's schema.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
class EventContractTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Inject
    LogSpool spool;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void anUnreadableStateIsKeptInTheDeadLettersAndTheNextIsFinalizedAnnouncingCloudEvents() throws Exception {
        String[] series = {"topic", Topics.JOB_STATE, "channel", "job-state"};
        double before = PrometheusScrape.of(metrics).valueOrZero("aegis_dead_letters_total", series);
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.results(job));
        Files.writeString(store.results(job).resolve("hits.tsv"), "q1\ts1\t99.0\t50\t0\t0\t1\t50\t1\t50\t1e-30\t100\n");
        Files.writeString(store.results(job).resolve("hits.json"), "{\"columns\": [\"qseqid\", \"sseqid\", \"pident\","
                + " \"length\", \"mismatch\", \"gapopen\", \"qstart\", \"qend\", \"sstart\", \"send\", \"evalue\","
                + " \"bitscore\"], \"queries\": []}");
        Files.writeString(store.results(job).resolve("run.log"), "worker: done\n");
        Files.writeString(store.input(job), ">q1\nMKT\n");
        byte[] unreadable = "{\"status\": SUCCEEDED}".getBytes(StandardCharsets.UTF_8);
        Serializer<Object> raw = (topic, value) -> (byte[]) value;

        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), raw, List.of(unreadable));
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(new JobStateEvent(1, job,
                "alice", JobStatus.SUCCEEDED, "finalize", 1, 1, null, null, 1, 9, null, Instant.now())));

        List<ConsumerRecord<String, byte[]>> announced = records(Topics.ARTIFACT_STATE, job, found -> found.stream()
                .map(r -> EventJson.decode(r.value(), ArtifactStateEvent.class))
                .anyMatch(e -> e.name().equals(ArtifactStateEvent.MANIFEST) && e.state() == ArtifactState.READY));
        assertThat(announced).allSatisfy(record ->
                assertThat(EventContract.problems(Topics.ARTIFACT_STATE, CloudEvents.ARTIFACT_SERVICE, record)).isEmpty());
        assertThat(announced).extracting(record -> EventContract.read(record).getId()).doesNotHaveDuplicates();

        List<ConsumerRecord<String, byte[]>> dead = records(Topics.DEAD_LETTER, job, found -> !found.isEmpty());
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(unreadable);
            assertThat(header(record, "dead-letter-topic")).isEqualTo(Topics.JOB_STATE);
            assertThat(header(record, "dead-letter-reason")).isNotBlank();
        });
        assertCounted(series, before + 1);
    }

    @Test
    void anUnreadableLogLineInABatchIsKeptInTheDeadLettersAndTheOthersAreSpooled() throws Exception {
        String[] series = {"topic", Topics.JOB_LOG, "channel", "job-log"};
        double before = PrometheusScrape.of(metrics).valueOrZero("aegis_dead_letters_total", series);
        UUID job = UUID.randomUUID();
        byte[] unreadable = "{\"line\": ".getBytes(StandardCharsets.UTF_8);
        Serializer<Object> raw = (topic, value) -> (byte[]) value;
        KafkaRecords.send(kafka, Topics.JOB_LOG, job.toString(), raw, List.of(unreadable));
        KafkaRecords.send(kafka, Topics.JOB_LOG, job.toString(), new EventSerializer(), List.of(new JobLogEvent(
                JobLogEvent.SCHEMA, job, 1, 2, "search", LogStream.STDOUT, "blastp", "after the broken one", Instant.now())));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(spool.file(job))
                && Files.readString(spool.file(job)).contains("after the broken one"));
        List<ConsumerRecord<String, byte[]>> dead = records(Topics.DEAD_LETTER, job, found -> !found.isEmpty());
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(unreadable);
            assertThat(header(record, "dead-letter-topic")).isEqualTo(Topics.JOB_LOG);
            assertThat(header(record, "dead-letter-offset")).isNotBlank();
            assertThat(header(record, "dead-letter-reason")).isNotBlank();
        });
        assertThat(Files.readString(spool.file(job)).lines()).hasSize(1);
        assertCounted(series, before + 1);
    }

    /** The dead letters counted, as Prometheus scrapes them: once the broker acknowledged each. */
    private void assertCounted(String[] series, double expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(PrometheusScrape.of(metrics)
                .valueOrZero("aegis_dead_letters_total", series)).isEqualTo(expected));
    }

    private List<ConsumerRecord<String, byte[]>> records(String topic, UUID job,
                                                        Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.records(kafka, topic, job.toString(),
                new ByteArrayDeserializer(), done, Duration.ofSeconds(30));
        assertThat(done.test(records)).as("records of %s on %s", job, topic).isTrue();
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
