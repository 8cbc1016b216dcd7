package io.aegis.job.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobRequestedDeserializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The fair queue with the tests' limits, small enough to reach (application.properties, {@code %test}):
 * each user has two jobs with the workers at a time, and three unfinished at most. Every test here
 * (and in JobApiTest, which shares the running application) submits as users of its own. No worker
 * runs; the test plays it by sending progress.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class FairQueueTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    Pool pool;

    @Inject
    FairDispatcher dispatcher;

    @Test
    void aUsersJobsBeyondTwoWaitAnotherUsersJobGoesOutAtOnceAndAFinishedJobMakesRoom() throws Throwable {
        String flooder = user();
        String other = user();
        List<String> flooders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            flooders.add(submit(flooder));
        }
        assertThat(requested(flooders.get(0))).hasSize(1);
        assertThat(requested(flooders.get(1))).hasSize(1);
        String others = submit(other);
        assertThat(requested(others)).as("another user's job is not held behind the first user's").hasSize(1);
        // One more pass, here, after the ones the submits woke. Had any of them handed the third job out,
        // its request was written before a bystander's job is submitted, and the workers get it first.
        dispatcher.dispatch(JobService.now());
        String bystander = submit(user());
        assertThat(requestedBefore(bystander)).as("the first user's third job waits its turn")
                .doesNotContain(flooders.get(2));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(flooder)).get("/api/v1/jobs/" + flooders.get(2))
                .then().statusCode(200).body("status", equalTo("QUEUED"));

        finish(flooders.get(0));

        assertThat(requested(flooders.get(2))).as("a finished job makes room for the next").hasSize(1);
        cancel(flooder, flooders);
        cancel(other, List.of(others));
        cancel(bystander, List.of(bystander));
    }

    @Test
    void aUserWithThreeUnfinishedJobsIsRefusedWithWhenToTryAgainAndNothingIsStored() {
        String user = user();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(submit(user));
        }
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).contentType(ContentType.JSON).body(submission())
                .post("/api/v1/jobs")
                .then().statusCode(429).contentType("application/problem+json").header("Retry-After", "30")
                .body("code", equalTo("TOO_MANY_ACTIVE_JOBS"));
        int listed = given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).get("/api/v1/jobs")
                .path("items.size()");
        assertThat(listed).as("nothing stored for the refused submit").isEqualTo(3);
        // another user is not refused
        String another = user();
        cancel(another, List.of(submit(another)));
        cancel(user, jobs);
    }

    @Test
    void aJobSubmittedAfterAnotherUsersFloodWaitsBehindOnlyTheFloodsFirstJobAndAUsersJobsKeepTheirOrder() {
        String flooder = user();
        String other = user();
        // each user first fills their room with the workers, so their next jobs wait for a turn
        List<String> floodersHandedOut = List.of(submit(flooder), submit(flooder));
        floodersHandedOut.forEach(id -> assertThat(requested(id)).hasSize(1));
        // The flood: the tests' limits let a user have three unfinished jobs, so the flood's further jobs
        // are stored copies of its first waiting one, each submitted a microsecond after the one before.
        List<String> flood = new ArrayList<>(List.of(submit(flooder)));
        try {
            flood.addAll(waitingCopies(flood.getFirst(), 7));
            List<String> othersHandedOut = List.of(submit(other), submit(other));
            othersHandedOut.forEach(id -> assertThat(requested(id)).hasSize(1));
            String last = submit(other);
            try {
                List<Long> floodPositions = flood.stream().map(id -> position(flooder, id)).toList();
                long lastPosition = position(other, last);

                for (int i = 1; i < floodPositions.size(); i++) {
                    assertThat(floodPositions.get(i)).as("a user's waiting jobs come in their submit order: %s",
                            floodPositions).isGreaterThan(floodPositions.get(i - 1));
                }
                assertThat(lastPosition)
                        .as("a job submitted after a flood of %s waits behind the flood's first job only: %s",
                                flood.size(), floodPositions)
                        .isEqualTo(floodPositions.getFirst() + 1)
                        .isLessThan(floodPositions.get(1));
                for (String handedOut : othersHandedOut) {
                    assertThat(position(other, handedOut)).as("a job with the workers is ahead of every waiting job")
                            .isLessThan(floodPositions.getFirst());
                }
            } finally {
                cancel(other, List.of(last));
                cancel(other, othersHandedOut);
            }
        } finally {
            // the waiting jobs first: a cancelled job makes room, and the copies are not to be handed out
            cancel(flooder, flood);
            cancel(flooder, floodersHandedOut);
        }
    }

    /**
     * Stores {@code count} copies of the waiting job {@code id} as if its owner had submitted them
     * just after it, one microsecond apart; they wait as long as the owner has no room.
     */
    private List<String> waitingCopies(String id, int count) {
        List<String> copies = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            UUID copy = UUID.randomUUID();
            int stored = pool.preparedQuery("""
                            INSERT INTO jobs.job (id, owner, name, file_name, pipeline, database_name, params, status,
                                step, done, total, sequence_count, residue_count, attempt, last_seq, error, error_code,
                                steps, version, created_at, started_at, finished_at, heartbeat_at, updated_at, worker,
                                dispatched_at, cancel_requested_at, input_digest, reuse_key, reused_from)
                            SELECT $2, owner, name, file_name, pipeline, database_name, params, status,
                                step, done, total, sequence_count, residue_count, attempt, last_seq, error, error_code,
                                steps, version, created_at + $3::int * interval '1 microsecond', started_at, finished_at,
                                heartbeat_at, updated_at, worker,
                                dispatched_at, cancel_requested_at, input_digest, reuse_key, reused_from
                            FROM jobs.job WHERE id = $1 AND status = 'QUEUED' AND dispatched_at IS NULL""")
                    .execute(Tuple.of(UUID.fromString(id), copy, n)).await().indefinitely().rowCount();
            assertThat(stored).as("job %s waits for its turn", id).isEqualTo(1);
            copies.add(copy.toString());
        }
        return copies;
    }

    /** The job's queue position as its owner sees it. */
    private static long position(String user, String id) {
        Number position = given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).get("/api/v1/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("QUEUED")).extract().path("queuePosition");
        assertThat(position).as("queue position of %s", id).isNotNull();
        return position.longValue();
    }

    /** Leaves nothing of the test's waiting in the suite's database. */
    private static void cancel(String user, List<String> jobs) {
        for (String job : jobs) {
            given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).post("/api/v1/jobs/" + job + "/cancel");
        }
    }

    private static JobSubmission submission() {
        return new JobSubmission("fair", "q.fasta", "blast", "demo", Map.of("program", "blastp"),
                ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n", 1, 33, "v1", false);
    }

    private static String submit(String user) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).contentType(ContentType.JSON)
                .body(submission()).post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    private void finish(String id) {
        KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id, new EventSerializer(), List.of(new JobProgressEvent(
                JobProgressEvent.SCHEMA, UUID.fromString(id), 1, 1, Steps.FINALIZE, StepStatus.COMPLETED, 1, 1,
                JobStatus.SUCCEEDED, null, null, null, false, "test-worker", Instant.now())));
    }

    private List<JobRequestedEvent> requested(String id) {
        return KafkaRecords.read(kafka, Topics.JOB_REQUESTED, id, new JobRequestedDeserializer(), found -> !found.isEmpty(),
                Duration.ofSeconds(30));
    }

    /**
     * The jobs whose requests went to the workers before the request of {@code job}, in the order they
     * went: the request topic has one partition, and the outbox sends what was committed before an
     * event was written ahead of it.
     */
    private List<String> requestedBefore(String job) {
        List<String> jobs = new ArrayList<>();
        // a fetch the broker holds for want of records returns soon: closing the consumer waits for it
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_REQUESTED, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            assertThat(partitions).as("the request topic keeps one order").hasSize(1);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!jobs.contains(job) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(request -> jobs.add(request.key()));
            }
        }
        assertThat(jobs).as("the request of %s", job).contains(job);
        return jobs.subList(0, jobs.indexOf(job));
    }

    private static String user() {
        return "fair-" + UUID.randomUUID();
    }
}
