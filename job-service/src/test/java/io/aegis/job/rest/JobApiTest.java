package io.aegis.job.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.JobControlEvent;
import io.aegis.events.JobDeletedEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobControlDeserializer;
import io.aegis.events.kafka.JobDeletedDeserializer;
import io.aegis.events.kafka.JobRequestedDeserializer;
import io.aegis.events.kafka.JobStateDeserializer;
import io.aegis.job.service.Reconciler;
import io.aegis.job.service.RetentionSweeper;
import io.aegis.testing.KafkaBroker;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class JobApiTest {

    private static final String FASTA = ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n>q2\nMSTNPKPQRKTKRNTNRRPQDVKFPGG\n";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Inject
    Reconciler reconciler;

    @Inject
    RetentionSweeper sweeper;

    /** One producer for the whole class, as a worker keeps one: not a connection and a handshake per send. */
    private static KafkaProducer<String, Object> producer;

    // the users of one test, new for each: the per-user limits of %test (two jobs with the workers,
    // three unfinished) are FairQueueTest's to reach, and never bite here
    private final String alice = user("alice");
    private final String bob = user("bob");

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static JobSubmission submission(String name, String fasta, Boolean reuse) {
        return new JobSubmission(name, "q.fasta", "blast", "demo", Map.of("program", "blastp"), fasta, 2, 60, "v1", reuse);
    }

    private static String submit(String user) {
        return submit(user, submission("two", FASTA, false)).path("id");
    }

    private static Response submit(String user, JobSubmission submission) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).contentType(ContentType.JSON).body(submission)
                .when().post("/api/v1/jobs")
                .then().statusCode(202).body("owner", equalTo(user)).body("steps.size()", equalTo(5))
                .extract().response();
    }

    @Test
    void aSubmittedJobIsStoredQueuedAndPublishedWithCloudEventHeaders() {
        String id = submit(alice);

        assertThat(read(storeRoot.resolve(StoreLayout.inputRef(UUID.fromString(id))))).isEqualTo(FASTA);
        JobRequestedEvent requested = records(Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(),
                found -> !found.isEmpty()).getFirst().value();
        assertThat(requested.owner()).isEqualTo(alice);
        assertThat(requested.attempt()).isEqualTo(1);
        assertThat(requested.params()).containsEntry("program", "blastp");

        ConsumerRecord<String, JobStateEvent> state = records(Topics.JOB_STATE, id, new JobStateDeserializer(),
                found -> !found.isEmpty()).getFirst();
        assertThat(state.value().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(header(state, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(state, "ce_type")).isEqualTo("io.aegis.job.state");
        assertThat(header(state, "ce_source")).isEqualTo("/aegis/job-service");
        assertThat(header(state, "ce_subject")).isEqualTo(id);
        assertThat(header(state, "ce_id")).isNotBlank();
        assertThat(header(state, "content-type")).isEqualTo("application/json");

        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("QUEUED")).body("progress.total", equalTo(2))
                .body("queuePosition", org.hamcrest.Matchers.greaterThanOrEqualTo(1)).body("attempt", equalTo(1));
    }

    @Test
    void jobsSubmittedWhileKafkaIsDownAreAcceptedAndDispatchedWhenItIsBack() {
        List<String> ids = new ArrayList<>();
        KafkaBroker.shared().outage(() -> {
            // each of a user of its own: all three go out once Kafka is back, whatever the per-user limits
            for (int i = 0; i < 3; i++) {
                ids.add(submit(user("submitter")));
            }
        });
        for (String id : ids) {
            List<ConsumerRecord<String, JobRequestedEvent>> requested = records(Topics.JOB_REQUESTED, id,
                    new JobRequestedDeserializer(), found -> !found.isEmpty(), Duration.ofSeconds(90));
            assertThat(requested).as("request of job %s", id).isNotEmpty();
        }
    }

    @Test
    void progressMovesTheJobToSucceededAndDuplicatesOrLateEventsChangeNothing() {
        String id = submit(alice);
        UUID job = UUID.fromString(id);
        List<JobProgressEvent> run = new ArrayList<>();
        long seq = 0;
        for (String step : Steps.BLAST) {
            run.add(progress(job, 1, ++seq, step, StepStatus.RUNNING, JobStatus.RUNNING));
        }
        run.add(progress(job, 1, ++seq, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED));
        run.add(progress(job, 1, 2, Steps.SPLIT, StepStatus.RUNNING, JobStatus.RUNNING));
        run.add(progress(job, 1, ++seq, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING));
        send(id, run);

        awaitStatus(alice, id, JobStatus.SUCCEEDED);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id + "/execution-steps")
                .then().statusCode(200).body("steps.status", equalTo(List.of(
                        "completed", "completed", "completed", "completed", "completed")));
        List<JobStateEvent> states = values(records(Topics.JOB_STATE, id, new JobStateDeserializer(),
                found -> found.stream().anyMatch(r -> r.value().status() == JobStatus.SUCCEEDED)));
        assertThat(states).extracting(JobStateEvent::status)
                .contains(JobStatus.QUEUED, JobStatus.RUNNING).endsWith(JobStatus.SUCCEEDED)
                .filteredOn(JobStatus::isTerminal).hasSize(1);
        assertThat(states).extracting(JobStateEvent::version).isSorted();
    }

    @Test
    void cancelOfAQueuedJobIsImmediateAndRepeatingItIsHarmless() {
        String id = submit(alice);
        cancel(alice, id).then().statusCode(200).body("status", equalTo("CANCELLED"));
        cancel(alice, id).then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id + "/execution-steps")
                .then().body("steps.status", equalTo(List.of("skipped", "skipped", "skipped", "skipped", "skipped")));
    }

    @Test
    void cancelOfARunningJobWaitsForTheWorkerWhichIsToldOnTheControlTopic() {
        String id = submit(alice);
        UUID job = UUID.fromString(id);
        send(id, List.of(progress(job, 1, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING)));
        awaitStatus(alice, id, JobStatus.RUNNING);

        cancel(alice, id).then().statusCode(202).body("status", equalTo("CANCELLING"));
        cancel(alice, id).then().statusCode(202).body("status", equalTo("CANCELLING"));
        JobControlEvent control = values(records(Topics.JOB_CONTROL, id, new JobControlDeserializer(),
                found -> !found.isEmpty())).getFirst();
        assertThat(control.action()).isEqualTo(JobControlEvent.Action.CANCEL);
        assertThat(control.attempt()).isEqualTo(1);

        send(id, List.of(progress(job, 1, 2, null, null, JobStatus.CANCELLED)));
        awaitStatus(alice, id, JobStatus.CANCELLED);
        cancel(alice, id).then().statusCode(200).body("status", equalTo("CANCELLED"));
    }

    @Test
    void cancelOfAFinishedJobAnswers409WithItsStateNot5xxAndOnlyTheOwnerMayCancel() {
        String id = submit(alice);
        UUID job = UUID.fromString(id);
        send(id, List.of(progress(job, 1, 1, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED)));
        awaitStatus(alice, id, JobStatus.SUCCEEDED);

        cancel(alice, id).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("JOB_ALREADY_FINISHED")).body("jobStatus", equalTo("SUCCEEDED"));
        cancel(bob, id).then().statusCode(404).body("code", equalTo("JOB_NOT_FOUND"));
    }

    @Test
    void aFailedJobIsRetriedAsItsNextAttemptWhichWaitsItsTurnAndKeepsTheFailedOneWithItsError() {
        String id = submit(alice);
        UUID job = UUID.fromString(id);
        records(Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(), found -> !found.isEmpty());
        JobProgressEvent crashed = new JobProgressEvent(JobProgressEvent.SCHEMA, job, 1, 2, Steps.SEARCH, StepStatus.FAILED,
                1, 2, JobStatus.FAILED, null, "blastp exited with 139 (segmentation fault) on batch 2/2", "TOOL_FAILED",
                false, "test-worker", Instant.now());
        send(id, List.of(progress(job, 1, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING), crashed));
        awaitStatus(alice, id, JobStatus.FAILED);

        retry(bob, id).then().statusCode(404).body("code", equalTo("JOB_NOT_FOUND"));
        retry(alice, id).then().statusCode(202)
                .body("status", equalTo("QUEUED")).body("attempt", equalTo(2))
                .body("error", nullValue()).body("finishedAt", nullValue()).body("progress.done", equalTo(0))
                .body("earlierAttempts.attempt", equalTo(List.of(1)))
                .body("earlierAttempts[0].status", equalTo("FAILED"))
                .body("earlierAttempts[0].errorCode", equalTo("TOOL_FAILED"))
                .body("earlierAttempts[0].error", equalTo("blastp exited with 139 (segmentation fault) on batch 2/2"))
                .body("earlierAttempts[0].endedBy", equalTo("retried"));
        // its turn comes as a new job's does: then it is handed to the workers
        assertThat(values(records(Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(),
                found -> found.stream().anyMatch(r -> r.value().attempt() == 2))))
                .extracting(JobRequestedEvent::attempt).containsExactly(1, 2);
        retry(alice, id).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("JOB_NOT_RETRYABLE")).body("jobStatus", equalTo("QUEUED"));

        send(id, List.of(progress(job, 2, 1, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED)));
        awaitStatus(alice, id, JobStatus.SUCCEEDED);
        retry(alice, id).then().statusCode(409).body("code", equalTo("JOB_NOT_RETRYABLE"))
                .body("jobStatus", equalTo("SUCCEEDED"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id).then()
                .body("attempt", equalTo(2)).body("earlierAttempts.errorCode", equalTo(List.of("TOOL_FAILED")));
    }

    @Test
    void aCancelledJobCanBeRetriedAndARunningOneCannot() {
        String id = submit(alice);
        UUID job = UUID.fromString(id);
        send(id, List.of(progress(job, 1, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING)));
        awaitStatus(alice, id, JobStatus.RUNNING);
        retry(alice, id).then().statusCode(409).body("code", equalTo("JOB_NOT_RETRYABLE"))
                .body("jobStatus", equalTo("RUNNING"));

        cancel(alice, id).then().statusCode(202);
        send(id, List.of(progress(job, 1, 2, null, null, JobStatus.CANCELLED)));
        awaitStatus(alice, id, JobStatus.CANCELLED);
        retry(alice, id).then().statusCode(202).body("attempt", equalTo(2))
                .body("earlierAttempts[0].status", equalTo("CANCELLED"))
                .body("steps.status", equalTo(List.of("pending", "pending", "pending", "pending", "pending")));
        cancel(alice, id).then().statusCode(200).body("status", equalTo("CANCELLED"));
    }

    @Test
    void aCancelRacingAFinishingWorkerEndsInExactlyOneTerminalStateThatNeverChanges() {
        for (int round = 0; round < 5; round++) {
            String id = submit(alice);
            UUID job = UUID.fromString(id);
            send(id, List.of(progress(job, 1, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING)));
            awaitStatus(alice, id, JobStatus.RUNNING);

            CompletableFuture<Integer> cancel = CompletableFuture.supplyAsync(() -> cancel(alice, id).statusCode());
            send(id, List.of(progress(job, 1, 2, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED)));
            assertThat(cancel.join()).isIn(200, 202, 409);

            awaitStatus(alice, id, JobStatus.SUCCEEDED);
            cancel(alice, id).then().statusCode(409).body("jobStatus", equalTo("SUCCEEDED"));
            send(id, List.of(progress(job, 1, 3, null, null, JobStatus.CANCELLED)));
            List<JobStateEvent> states = values(records(Topics.JOB_STATE, id, new JobStateDeserializer(),
                    found -> found.stream().anyMatch(r -> r.value().status() == JobStatus.SUCCEEDED)));
            assertThat(states).filteredOn(s -> s.status().isTerminal()).extracting(JobStateEvent::status)
                    .containsExactly(JobStatus.SUCCEEDED);
            assertThat(status(alice, id)).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Test
    void aJobWhoseWorkerFellSilentRunsAgainThenFailsWithWorkerLostAfterTheLastAttempt() throws Throwable {
        String id = submit(alice);
        UUID job = UUID.fromString(id);
        for (int attempt = 1; attempt <= 3; attempt++) {
            send(id, List.of(progress(job, attempt, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING)));
            awaitStatus(alice, id, JobStatus.RUNNING);
            reconciler.reconcile(Instant.now().plus(Duration.ofMinutes(5)));
            if (attempt < 3) {
                int next = attempt + 1;
                given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id).then()
                        .body("status", equalTo("QUEUED")).body("attempt", equalTo(next))
                        .body("progress.done", equalTo(0));
                assertThat(values(records(Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(),
                        found -> found.stream().anyMatch(r -> r.value().attempt() == next))))
                        .extracting(JobRequestedEvent::attempt).contains(next);
                // the lost worker turns up late: its attempt is over and changes nothing
                send(id, List.of(progress(job, attempt, 2, Steps.MERGE, StepStatus.RUNNING, JobStatus.RUNNING)));
            }
        }
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id).then()
                .body("status", equalTo("FAILED")).body("errorCode", equalTo("WORKER_LOST"))
                .body("attempt", equalTo(3));
    }

    @Test
    void aQueuedJobNoWorkerTookIsDispatchedAgainOnceEveryRequestWasConsumed() throws Throwable {
        String id = submit(alice);
        records(Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(), found -> !found.isEmpty());

        reconciler.reconcile(Instant.now().plus(Duration.ofMinutes(5)));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id).then().body("attempt", equalTo(1));

        // other tests' jobs may put requests on the topic meanwhile: consumed, then looked at again
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).untilAsserted(() -> {
            consumeEveryRequestAsTheWorkers();
            reconciler.reconcile(Instant.now().plus(Duration.ofMinutes(5)));
            given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id).then()
                    .body("status", equalTo("QUEUED")).body("attempt", equalTo(2));
        });
        assertThat(values(records(Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(),
                found -> found.size() >= 2))).extracting(JobRequestedEvent::attempt).containsExactly(1, 2);
    }

    @Test
    void historyListsOnlyTheCallersJobsNewestFirstPageByPage() {
        String user = "hist-" + UUID.randomUUID();
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = submit(user, submission(i == 3 ? "needle run" : "run " + i, FASTA, false)).path("id");
            // cancelled at once: a user may have three unfinished jobs (%test), and history lists finished ones too
            cancel(user, id).then().statusCode(200);
            submitted.add(id);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response page = given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).queryParam("limit", 2)
                    .queryParam("cursor", cursor == null ? "" : cursor).get("/api/v1/jobs")
                    .then().statusCode(200).extract().response();
            List<String> ids = page.path("items.id");
            assertThat(ids.size()).isLessThanOrEqualTo(2);
            seen.addAll(ids);
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(submitted.reversed());

        given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).queryParam("q", "NEEDLE").get("/api/v1/jobs")
                .then().statusCode(200).body("items.id", equalTo(List.of(submitted.get(3))))
                .body("nextCursor", nullValue());
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).queryParam("status", "succeeded,failed").get("/api/v1/jobs")
                .then().statusCode(200).body("items.size()", equalTo(0));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("someone-else")).get("/api/v1/jobs")
                .then().statusCode(200).body("items.id", org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.hasItem(submitted.getFirst())));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).queryParam("limit", 201).get("/api/v1/jobs")
                .then().statusCode(400).body("code", equalTo("INVALID_QUERY")).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void historyTextSearchTakesPercentAndUnderscoreLiterallyAndIgnoresCase() {
        String user = "text-" + UUID.randomUUID();
        Map<String, String> ids = new HashMap<>();
        for (String name : List.of("50% off", "500 off", "a_b", "axb", "MiXeD Case run", "run 1234", "1234 run")) {
            String id = submit(user, submission(name, FASTA, false)).path("id");
            cancel(user, id).then().statusCode(200);
            ids.put(name, id);
        }
        // terms with a trigram (through the index) and without (among the newest jobs)
        assertThat(search(user, "0% OFF")).containsExactly(ids.get("50% off"));
        assertThat(search(user, "50%")).containsExactly(ids.get("50% off"));
        assertThat(search(user, "%")).containsExactly(ids.get("50% off"));
        assertThat(search(user, "a_b")).containsExactly(ids.get("a_b"));
        assertThat(search(user, "_")).containsExactly(ids.get("a_b"));
        assertThat(search(user, "mixed CASE")).containsExactly(ids.get("MiXeD Case run"));
        assertThat(search(user, " OFF")).containsExactly(ids.get("500 off"), ids.get("50% off"));
        assertThat(search(user, "q.FASTA")).hasSize(7);
        assertThat(search(user, "x_b")).isEmpty();
        // a term of several words is found whole, never by its words apart or in another order
        assertThat(search(user, "RUN 1234")).containsExactly(ids.get("run 1234"));
        assertThat(search(user, "1234 RUN")).containsExactly(ids.get("1234 run"));
        assertThat(search(user, "n 12")).containsExactly(ids.get("run 1234"));
        assertThat(search(user, "run 12345")).isEmpty();
    }

    private static List<String> search(String user, String term) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).queryParam("q", term)
                .get("/api/v1/jobs").then().statusCode(200).body("nextCursor", nullValue()).extract().path("items.id");
    }

    @Test
    void anIdenticalJobReusesTheSameUsersEarlierSuccessUnlessOptedOutAndNeverAnotherUsers() throws Exception {
        String fasta = ">r1\n" + randomProtein(40) + "\n>r2\n" + randomProtein(30) + "\n";
        String first = submit(alice, submission("first", fasta, true)).path("id");
        send(first, List.of(progress(UUID.fromString(first), 1, 1, Steps.FINALIZE, StepStatus.COMPLETED,
                JobStatus.SUCCEEDED)));
        awaitStatus(alice, first, JobStatus.SUCCEEDED);
        // its results, as the worker leaves them in the store
        Path results = Files.createDirectories(new StoreLayout(storeRoot).results(UUID.fromString(first)));
        Files.writeString(results.resolve("hits.tsv"), "r1\ts1\t99.0\n");

        Response reused = submit(alice, submission("again", fasta, true));
        assertThat(reused.<String>path("status")).isEqualTo("SUCCEEDED");
        assertThat(reused.<String>path("reusedFrom")).isEqualTo(first);
        JobStateEvent state = values(records(Topics.JOB_STATE, reused.path("id"), new JobStateDeserializer(),
                found -> !found.isEmpty())).getFirst();
        assertThat(state.reusedFrom()).isEqualTo(UUID.fromString(first));

        // another user's identical job runs on its own and learns nothing of alice's
        Response bobs = submit(bob, submission("mine", fasta, true));
        assertThat(bobs.<String>path("status")).isEqualTo("QUEUED");
        assertThat(bobs.<String>path("reusedFrom")).isNull();
        assertThat(bobs.<String>path("owner")).isEqualTo(bob);

        Response fresh = submit(alice, submission("fresh", fasta, false));
        assertThat(fresh.<String>path("status")).isEqualTo("QUEUED");
        assertThat(fresh.<String>path("reusedFrom")).isNull();

        // results no longer in the store (a store emptied apart from the database): the job runs afresh
        Files.delete(results.resolve("hits.tsv"));
        Files.delete(results);
        Response rerun = submit(alice, submission("rerun", fasta, true));
        assertThat(rerun.<String>path("status")).isEqualTo("QUEUED");
        assertThat(rerun.<String>path("reusedFrom")).isNull();
        // nothing of this test left waiting in the suite's database
        cancel(bob, bobs.<String>path("id"));
        cancel(alice, fresh.<String>path("id"));
        cancel(alice, rerun.<String>path("id"));
    }

    @Test
    void retentionRemovesOldFinishedJobsAndAnnouncesIt() throws Throwable {
        String id = submit(alice);
        cancel(alice, id).then().statusCode(200);
        String running = submit(alice);
        send(running, List.of(progress(UUID.fromString(running), 1, 1, Steps.SEARCH, StepStatus.RUNNING,
                JobStatus.RUNNING)));
        awaitStatus(alice, running, JobStatus.RUNNING);

        assertThat(sweeper.sweep(Instant.now().plus(Duration.ofDays(31)))).isGreaterThanOrEqualTo(1);

        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + id).then().statusCode(404);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/" + running).then().statusCode(200);
        JobDeletedEvent deleted = values(records(Topics.JOB_DELETED, id, new JobDeletedDeserializer(),
                found -> !found.isEmpty())).getFirst();
        assertThat(deleted.owner()).isEqualTo(alice);
        assertThat(deleted.reason()).isEqualTo("retention");
    }

    @Test
    void anotherUsersJobIsNotFoundAndAMissingCallerIsUnauthenticated() {
        String id = submit(alice);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(bob)).get("/api/v1/jobs/" + id)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("JOB_NOT_FOUND"));
        given().get("/api/v1/jobs/" + id)
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        // a caller no Aegis service vouched for, however it names itself
        for (Header unsigned : List.of(new Header(AegisHeaders.USER, alice),
                new Header(AegisHeaders.IDENTITY, TestCallers.forged(alice)),
                new Header(AegisHeaders.IDENTITY, TestCallers.expired(alice)))) {
            given().header(unsigned).get("/api/v1/jobs/" + id)
                    .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("UNAUTHENTICATED"));
            given().header(unsigned).get("/api/v1/jobs").then().statusCode(401);
        }
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).get("/api/v1/jobs/not-a-uuid")
                .then().statusCode(400).body("code", equalTo("INVALID_JOB_ID"));
    }

    @Test
    void anIncompleteSubmissionIsRejectedAndNothingIsStored() {
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).contentType(ContentType.JSON).body("{\"fasta\":\">a\\nMK\\n\"}")
                .post("/api/v1/jobs")
                .then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).contentType(ContentType.JSON).body("{not json")
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static Response retry(String user, String id) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).post("/api/v1/jobs/" + id + "/retry");
    }

    private static Response cancel(String user, String id) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).post("/api/v1/jobs/" + id + "/cancel");
    }

    private static JobStatus status(String user, String id) {
        return JobStatus.valueOf(given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).get("/api/v1/jobs/" + id).path("status"));
    }

    /** Polls from the start and often: a status change takes milliseconds here, and a poll is one local request. */
    private static void awaitStatus(String user, String id, JobStatus status) {
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> status(user, id) == status);
    }

    private static JobProgressEvent progress(UUID job, int attempt, long seq, String step, StepStatus stepStatus,
                                             JobStatus status) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, job, attempt, seq, step, stepStatus,
                status == JobStatus.SUCCEEDED ? 2 : 0, 2, status, null, null, null, false, "test-worker",
                Instant.now());
    }

    /** Sends the events keyed by the job, in order, and waits for the broker's acks. */
    private void send(String id, List<JobProgressEvent> events) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                    new StringSerializer(), new EventSerializer());
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (JobProgressEvent event : events) {
            acks.add(producer.send(new ProducerRecord<>(Topics.JOB_PROGRESS, id, event)));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot publish to " + Topics.JOB_PROGRESS, e);
        }
    }

    /**
     * Commits the workers' group at the end of the request topic, as if workers had taken every request.
     * The partitions are assigned by hand: no worker is a member of the group here, so the commit needs
     * no join and no rebalance.
     */
    private void consumeEveryRequestAsTheWorkers() {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.GROUP_ID_CONFIG, "pipeline-worker",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_REQUESTED, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            partitions.forEach(p -> ends.put(p, new OffsetAndMetadata(consumer.position(p))));
            consumer.commitSync(ends);
        }
    }

    private <T> List<ConsumerRecord<String, T>> records(String topic, String key, Deserializer<T> type,
                                                       Predicate<List<ConsumerRecord<String, T>>> done) {
        return records(topic, key, type, done, Duration.ofSeconds(30));
    }

    private <T> List<ConsumerRecord<String, T>> records(String topic, String key, Deserializer<T> type,
                                                       Predicate<List<ConsumerRecord<String, T>>> done,
                                                       Duration timeout) {
        return KafkaRecords.records(kafka, topic, key, type, done, timeout);
    }

    private static <T> List<T> values(List<ConsumerRecord<String, T>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String randomProtein(int length) {
        String alphabet = "ACDEFGHIKLMNPQRSTVWY";
        StringBuilder out = new StringBuilder();
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
