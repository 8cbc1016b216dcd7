package io.aegis.job.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.CloudEvents;
import io.aegis.events.EventJson;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.job.service.RetentionSweeper;
import io.aegis.testing.EventContract;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.PrometheusScrape;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
 * job-service's side of the events contract against the real broker: every record it publishes is a
 * CloudEvent the SDK's Kafka binding reads, with data valid against its topic's schema; and a
 * progress record it cannot read or apply is kept in the dead letters, and counted, while the next
 * one is applied.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class EventContractTest {

    private static final String FASTA = ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n>q2\nMSTNPKPQRKTKRNTNRRPQDVKFPGG\n";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    RetentionSweeper sweeper;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final String alice = "alice-" + UUID.randomUUID();

    @Test
    void everyRecordJobServicePublishesIsACloudEventValidAgainstItsTopicsSchema() throws Throwable {
        String id = submit();
        progress(id, 1, JobStatus.RUNNING);
        awaitStatus(id, JobStatus.RUNNING);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(202);
        progress(id, 2, JobStatus.CANCELLED);
        awaitStatus(id, JobStatus.CANCELLED);
        assertThat(sweeper.sweep(Instant.now().plus(Duration.ofDays(31)))).isPositive();

        for (String topic : List.of(Topics.JOB_REQUESTED, Topics.JOB_STATE, Topics.JOB_CONTROL, Topics.JOB_DELETED)) {
            List<ConsumerRecord<String, byte[]>> records = records(topic, id, found -> !found.isEmpty());
            assertThat(records).as(topic).isNotEmpty().allSatisfy(record ->
                    assertThat(EventContract.problems(topic, CloudEvents.JOB_SERVICE, record)).as(topic).isEmpty());
        }
        List<ConsumerRecord<String, byte[]>> states = records(Topics.JOB_STATE, id, found -> found.size() >= 4);
        assertThat(states).extracting(record -> EventContract.read(record).getId()).as("one id per state")
                .doesNotHaveDuplicates();
    }

    @Test
    void aProgressRecordThatCannotBeReadOrAppliedIsKeptInTheDeadLettersCountedAndTheNextIsApplied() {
        String[] series = {"topic", Topics.JOB_PROGRESS, "channel", "job-progress"};
        PrometheusScrape start = PrometheusScrape.of(metrics);
        assertThat(start.value("aegis_dead_letters_total", series)).as("the channel's series, from its start").isPresent();
        double before = start.valueOrZero("aegis_dead_letters_total", series);
        String id = submit();
        byte[] unreadable = "{\"jobId\": \"not json".getBytes(StandardCharsets.UTF_8);
        byte[] withoutJob = "{\"schema\": 1, \"seq\": 1}".getBytes(StandardCharsets.UTF_8);
        Serializer<Object> raw = (topic, value) -> (byte[]) value;
        KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id, raw, List.of(unreadable, withoutJob));
        progress(id, 1, JobStatus.RUNNING);

        awaitStatus(id, JobStatus.RUNNING);
        List<ConsumerRecord<String, byte[]>> dead = records(Topics.DEAD_LETTER, id, found -> found.size() >= 2);
        assertThat(dead).hasSize(2);
        assertThat(dead.getFirst().value()).as("an unreadable record as it came").isEqualTo(unreadable);
        JobProgressEvent kept = EventJson.decode(dead.get(1).value(), JobProgressEvent.class);
        assertThat(kept.jobId()).as("a record that failed, as it was read").isNull();
        assertThat(kept.seq()).isEqualTo(1);
        assertThat(dead).allSatisfy(record -> {
            assertThat(header(record, "dead-letter-topic")).isEqualTo(Topics.JOB_PROGRESS);
            assertThat(header(record, "dead-letter-offset")).isNotBlank();
            assertThat(header(record, "dead-letter-exception-class-name")).isNotBlank();
        });
        assertThat(header(dead.get(1), "dead-letter-reason")).isEqualTo("A progress record without a job id");
        assertThat(header(dead.getFirst(), "dead-letter-reason")).isNotBlank();
        // each counted once the broker acknowledged it: the unreadable one and the one that failed after its retries
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(PrometheusScrape.of(metrics)
                .valueOrZero("aegis_dead_letters_total", series)).isEqualTo(before + 2));
    }

    private String submit() {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).contentType(ContentType.JSON)
                .body(new JobSubmission("contract", "q.fasta", "blast", "demo", Map.of("program", "blastp"), FASTA, 2, 60,
                        "v1", false))
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    /** A worker's progress for the job's first attempt, as the worker publishes it. */
    private void progress(String id, long seq, JobStatus status) {
        JobProgressEvent event = new JobProgressEvent(JobProgressEvent.SCHEMA, UUID.fromString(id), 1, seq,
                status == JobStatus.RUNNING ? Steps.SEARCH : null, status == JobStatus.RUNNING ? StepStatus.RUNNING : null,
                0, 2, status, null, null, null, false, "test-worker", Instant.now());
        KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id, new io.aegis.events.kafka.EventSerializer(), List.of(event));
    }

    private void awaitStatus(String id, JobStatus status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> JobStatus.valueOf(
                given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id).path("status"))
                == status);
    }

    private List<ConsumerRecord<String, byte[]>> records(String topic, String key,
                                                        Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        return KafkaRecords.records(kafka, topic, key, new ByteArrayDeserializer(), done, Duration.ofSeconds(30));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
