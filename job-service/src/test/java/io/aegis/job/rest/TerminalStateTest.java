package io.aegis.job.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobStateDeserializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The end a worker reports is published with how far the attempt's own events went, so
 * log-stream-service can put the job's last lines before it; no other state says so.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class TerminalStateTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private final String alice = "alice-" + UUID.randomUUID();

    @Test
    void theEndAWorkerReportedNamesItsLastLogAndProgressSeqs() {
        String id = submit();
        UUID job = UUID.fromString(id);
        send(id, List.of(
                progress(job, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, null),
                // lines 2 to 4 went to the log topic; the outcome names the last
                progress(job, 5, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED, 4L)));

        List<JobStateEvent> states = states(id, JobStatus.SUCCEEDED);
        JobStateEvent end = end(states, JobStatus.SUCCEEDED);
        assertThat(end.lastLogSeq()).isEqualTo(4L);
        assertThat(end.lastProgressSeq()).isEqualTo(5L);
        assertThat(states).filteredOn(state -> !state.status().isTerminal()).isNotEmpty()
                .allSatisfy(state -> assertThat(state.lastProgressSeq()).isNull())
                .allSatisfy(state -> assertThat(state.lastLogSeq()).isNull());
    }

    @Test
    void anEndJobServiceDecidedOrFromAWorkerThatDoesNotSayNamesNone() {
        String cancelled = submit();
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).post("/api/v1/jobs/" + cancelled + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        JobStateEvent end = end(states(cancelled, JobStatus.CANCELLED), JobStatus.CANCELLED);
        assertThat(end.lastLogSeq()).isNull();
        assertThat(end.lastProgressSeq()).isNull();

        String older = submit();
        send(older, List.of(
                progress(UUID.fromString(older), 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, null),
                progress(UUID.fromString(older), 3, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED, null)));
        end = end(states(older, JobStatus.SUCCEEDED), JobStatus.SUCCEEDED);
        assertThat(end.lastLogSeq()).isNull();
        assertThat(end.lastProgressSeq()).isNull();
    }

    private static JobStateEvent end(List<JobStateEvent> states, JobStatus status) {
        return states.stream().filter(state -> state.status() == status).findFirst().orElseThrow();
    }

    private String submit() {
        JobSubmission submission = new JobSubmission("two", "q.fasta", "blast", "demo", Map.of("program", "blastp"),
                ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n>q2\nMSTNPKPQRKTKRNTNRRPQDVKFPGG\n", 2, 60, "v1", false);
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).contentType(ContentType.JSON)
                .body(submission).when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    private static JobProgressEvent progress(UUID job, long seq, String step, StepStatus stepStatus, JobStatus status,
                                             Long lastLogSeq) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, job, 1, seq, step, stepStatus,
                status == JobStatus.SUCCEEDED ? 2 : 0, 2, status, null, null, null, false, "test-worker", Instant.now(),
                lastLogSeq);
    }

    private void send(String id, List<JobProgressEvent> events) {
        KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id, new EventSerializer(), events);
    }

    /** The job's states on the state topic, up to the first with {@code status}. */
    private List<JobStateEvent> states(String id, JobStatus status) {
        return KafkaRecords.records(kafka, Topics.JOB_STATE, id, new JobStateDeserializer(),
                        found -> found.stream().anyMatch(r -> r.value().status() == status), Duration.ofSeconds(30))
                .stream().map(ConsumerRecord::value).toList();
    }
}
