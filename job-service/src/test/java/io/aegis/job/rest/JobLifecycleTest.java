package io.aegis.job.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.aegis.events.AegisHeaders;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.JobSubmission;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobRequestedDeserializer;
import io.aegis.events.kafka.JobStateDeserializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class JobLifecycleTest {

    private static final String FASTA = ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n>q2\nMSTNPKPQRKTKRNTNRRPQDVKFPGG\n";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    private String submit(String user) {
        JobSubmission submission = new JobSubmission("two", "q.fasta", "blast", "demo",
                Map.of("program", "blastp"), FASTA, 2, 60);
        return given().header(AegisHeaders.USER, user).contentType(ContentType.JSON).body(submission)
                .when().post("/api/v1/jobs")
                .then().statusCode(202)
                .body("status", equalTo("QUEUED"))
                .body("owner", equalTo(user))
                .body("steps.size()", equalTo(5))
                .extract().path("id");
    }

    @Test
    void aSubmittedJobIsStoredAndPublishedAndAnswersWith202() throws Exception {
        String id = submit("alice");

        assertThat(Files.readString(new StoreLayout(storeRoot).input(UUID.fromString(id)))).isEqualTo(FASTA);
        JobRequestedEvent requested = records(Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(),
                found -> !found.isEmpty()).getFirst();
        assertThat(requested.owner()).isEqualTo("alice");
        assertThat(requested.attempt()).isEqualTo(1);
        assertThat(requested.inputRef()).isEqualTo(StoreLayout.inputRef(UUID.fromString(id)));
        assertThat(requested.params()).containsEntry("program", "blastp");
        given().header(AegisHeaders.USER, "alice").get("/api/v1/jobs/" + id)
                .then().statusCode(200).body("progress.total", equalTo(2)).body("fileName", equalTo("q.fasta"));
    }

    @Test
    void progressFromKafkaMovesTheJobToSucceededAndPublishesItsState() throws Exception {
        String id = submit("alice");
        UUID jobId = UUID.fromString(id);
        List<JobProgressEvent> run = new ArrayList<>();
        long seq = 0;
        for (String step : Steps.BLAST) {
            run.add(progress(jobId, ++seq, step, StepStatus.RUNNING, 0, JobStatus.RUNNING));
        }
        run.add(progress(jobId, ++seq, Steps.FINALIZE, StepStatus.COMPLETED, 2, JobStatus.SUCCEEDED));
        // a duplicate of an earlier event arrives late and must change nothing
        run.add(progress(jobId, 2, Steps.SPLIT, StepStatus.RUNNING, 0, JobStatus.RUNNING));
        KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id, new EventSerializer(), run);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.USER, "alice").get("/api/v1/jobs/" + id)
                        .then().statusCode(200).body("status", equalTo("SUCCEEDED")).body("progress.done", equalTo(2)));
        given().header(AegisHeaders.USER, "alice").get("/api/v1/jobs/" + id + "/execution-steps")
                .then().statusCode(200).body("steps.status", equalTo(List.of(
                        "completed", "completed", "completed", "completed", "completed")));
        List<JobStateEvent> states = records(Topics.JOB_STATE, id, new JobStateDeserializer(),
                found -> found.stream().anyMatch(e -> e.status() == JobStatus.SUCCEEDED));
        assertThat(states).extracting(JobStateEvent::status)
                .contains(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED).endsWith(JobStatus.SUCCEEDED);
    }

    @Test
    void anotherUsersJobIsNotFoundAndAMissingCallerIsUnauthenticated() {
        String id = submit("alice");
        given().header(AegisHeaders.USER, "bob").get("/api/v1/jobs/" + id)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("JOB_NOT_FOUND"));
        given().get("/api/v1/jobs/" + id)
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header(AegisHeaders.USER, "alice").get("/api/v1/jobs/not-a-uuid")
                .then().statusCode(400).body("code", equalTo("INVALID_JOB_ID"));
    }

    @Test
    void anIncompleteSubmissionIsRejectedAndNothingIsStored() {
        given().header(AegisHeaders.USER, "alice").contentType(ContentType.JSON).body("{\"fasta\":\">a\\nMK\\n\"}")
                .post("/api/v1/jobs")
                .then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));
        given().header(AegisHeaders.USER, "alice").contentType(ContentType.JSON).body("{not json")
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static JobProgressEvent progress(UUID job, long seq, String step, StepStatus stepStatus, int done,
                                             JobStatus status) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, job, 1, seq, step, stepStatus, done, 2, status,
                null, null, null, false, "test", Instant.now());
    }

    private <T> List<T> records(String topic, String key, Deserializer<T> type, Predicate<List<T>> done) {
        return KafkaRecords.read(kafka, topic, key, type, done, Duration.ofSeconds(30));
    }
}
