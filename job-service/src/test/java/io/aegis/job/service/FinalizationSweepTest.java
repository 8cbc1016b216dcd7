package io.aegis.job.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobStateDeserializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.PrometheusScrape;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The finalization sweep against the real broker and database: a finished job whose manifest
 * artifact-service announced is left alone; one without has its terminal state published again on
 * {@code aegis.job.state}, once per grace period, until the limit; an unfinished job is never swept,
 * and a manifest of an earlier attempt does not settle the job's last end; an artifact record that cannot
 * be read goes to the dead letters. The sweep runs as of
 * instants the test chooses (the grace period is the default 5 min; the schedule is off in tests).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class FinalizationSweepTest {

    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final String GROUP = "job-service-finalizations";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    FinalizationSweeper sweeper;

    @Inject
    Pool pool;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final String alice = "sweep-" + UUID.randomUUID();

    @Test
    void aFinishedJobWhoseManifestWasAnnouncedIsNeverAnnouncedAgain() {
        UUID settled = cancelled(submit());
        UUID control = cancelled(submit());
        manifest(settled, 1, ArtifactState.READY);
        await().atMost(Duration.ofSeconds(30)).until(() -> finalizedAttempt(settled) == 1);

        Instant later = Instant.now().plus(GRACE).plusSeconds(60);
        for (int pass = 0; pass < 4; pass++) {
            sweepAll(later.plus(GRACE.plusSeconds(1).multipliedBy(pass)));
        }

        // the control job, swept in the same passes, shows the announcements were made and relayed
        assertThat(ends(control, JobStatus.CANCELLED)).isEqualTo(4);
        assertThat(ends(settled, JobStatus.CANCELLED)).isEqualTo(1);
    }

    @Test
    void aFailedManifestSettlesTheFinalizationToo() {
        UUID job = cancelled(submit());
        manifest(job, 1, ArtifactState.FAILED);
        await().atMost(Duration.ofSeconds(30)).until(() -> finalizedAttempt(job) == 1);

        sweepAll(Instant.now().plus(GRACE).plusSeconds(60));

        assertThat(ends(job, JobStatus.CANCELLED)).isEqualTo(1);
    }

    @Test
    void aFinishedJobWithoutManifestIsAnnouncedAgainOncePerGracePeriodUntilTheLimit() {
        UUID job = cancelled(submit());
        Instant end = finishedAt(job);
        assertThat(ends(job, JobStatus.CANCELLED)).isEqualTo(1);
        PrometheusScrape before = PrometheusScrape.of(metrics);

        // within the grace period: nothing
        sweepAll(end.plus(GRACE).minusSeconds(1));
        assertThat(ends(job, JobStatus.CANCELLED)).isEqualTo(1);

        Instant first = end.plus(GRACE).plusSeconds(1);
        sweepAll(first);
        List<JobStateEvent> states = states(job);
        assertThat(states).filteredOn(s -> s.status() == JobStatus.CANCELLED).hasSize(2)
                .allSatisfy(s -> assertThat(s.attempt()).isEqualTo(1))
                // the same state as first announced: the job did not change, only its announcement was repeated
                .extracting(JobStateEvent::version).containsOnly(states.getLast().version());

        // the same run again, and later within a grace period of the last announcement: nothing more
        sweepAll(first);
        sweepAll(first.plus(GRACE).minusSeconds(1));
        assertThat(ends(job, JobStatus.CANCELLED)).isEqualTo(2);

        Instant second = first.plus(GRACE).plusSeconds(1);
        sweepAll(second);
        assertThat(ends(job, JobStatus.CANCELLED)).isEqualTo(3);
        Instant third = second.plus(GRACE).plusSeconds(1);
        sweepAll(third);
        assertThat(ends(job, JobStatus.CANCELLED)).isEqualTo(4);

        // three announcements again went unanswered: the sweep gives up, and stays given up
        FinalizationSweeper.Run gaveUp = sweepAll(third.plus(GRACE).plusSeconds(1));
        assertThat(gaveUp.givenUp()).isGreaterThanOrEqualTo(1);
        sweepAll(third.plus(GRACE.multipliedBy(3)));
        assertThat(ends(job, JobStatus.CANCELLED)).isEqualTo(4);
        assertThat(reannounceCount(job)).isEqualTo(4);

        // counted, with the other tests' finished jobs the same runs swept
        PrometheusScrape after = PrometheusScrape.of(metrics);
        String[] reannounced = {"pipeline", "blast", "outcome", "reannounced"};
        String[] givenUp = {"pipeline", "blast", "outcome", "given_up"};
        assertThat(after.valueOrZero("aegis_jobs_swept_total", reannounced))
                .isGreaterThanOrEqualTo(before.valueOrZero("aegis_jobs_swept_total", reannounced) + 3);
        assertThat(after.valueOrZero("aegis_jobs_swept_total", givenUp))
                .isGreaterThanOrEqualTo(before.valueOrZero("aegis_jobs_swept_total", givenUp) + 1);
    }

    @Test
    void anUnfinishedJobIsNeverSwept() {
        UUID queued = submit();
        int before = states(queued).size();

        sweepAll(Instant.now().plus(GRACE).plusSeconds(60));
        sweepAll(Instant.now().plus(GRACE.multipliedBy(3)));

        assertThat(states(queued)).hasSize(before).allSatisfy(s -> assertThat(s.status().isTerminal()).isFalse());
        assertThat(reannounceCount(queued)).isZero();
    }

    @Test
    void aManifestOfAnEarlierAttemptDoesNotSettleTheLastEnd() {
        UUID job = cancelled(submit());
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).post("/api/v1/jobs/" + job + "/retry")
                .then().statusCode(202);
        cancelled(job);
        assertThat(attempt(job)).isEqualTo(2);

        // attempt 1's manifest arrives late, after the job ended again: consumed, and it settles nothing
        manifest(job, 1, ArtifactState.READY);
        assertThat(finalizedAttempt(job)).isZero();
        Instant first = finishedAt(job).plus(GRACE).plusSeconds(1);
        sweepAll(first);
        assertThat(states(job)).filteredOn(s -> s.status() == JobStatus.CANCELLED && s.attempt() == 2).hasSize(2);

        // attempt 2's manifest settles it: no more announcements
        manifest(job, 2, ArtifactState.READY);
        await().atMost(Duration.ofSeconds(30)).until(() -> finalizedAttempt(job) == 2);
        sweepAll(first.plus(GRACE).plusSeconds(1));
        sweepAll(first.plus(GRACE.multipliedBy(2)).plusSeconds(2));
        assertThat(states(job)).filteredOn(s -> s.status() == JobStatus.CANCELLED && s.attempt() == 2).hasSize(2);
    }

    @Test
    void anArtifactRecordThatCannotBeReadIsKeptInTheDeadLettersAndTheNextManifestIsRecorded() {
        UUID job = cancelled(submit());
        byte[] unreadable = "{\"jobId\": \"not json".getBytes(StandardCharsets.UTF_8);
        Serializer<Object> raw = (topic, value) -> (byte[]) value;
        KafkaRecords.send(kafka, Topics.ARTIFACT_STATE, job.toString(), raw, List.of(unreadable));
        manifest(job, 1, ArtifactState.READY);

        assertThat(finalizedAttempt(job)).isEqualTo(1);
        List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.records(kafka, Topics.DEAD_LETTER, job.toString(),
                new ByteArrayDeserializer(), found -> !found.isEmpty(), Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(dead.getFirst().value()).as("the record as it came").isEqualTo(unreadable);
        assertThat(new String(dead.getFirst().headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.ARTIFACT_STATE);
    }

    // ---------------------------------------------------------------------------------------- helpers

    private UUID submit() {
        JobSubmission submission = new JobSubmission("sweep", "q.fasta", "blast", "demo", Map.of("program", "blastp"),
                ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n", 1, 33, "v1", false);
        String id = given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).contentType(ContentType.JSON)
                .body(submission).when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        return UUID.fromString(id);
    }

    /** Cancels the queued job: it ends at once. */
    private UUID cancelled(UUID job) {
        given().header(AegisHeaders.IDENTITY, TestCallers.identity(alice)).post("/api/v1/jobs/" + job + "/cancel")
                .then().statusCode(200);
        return job;
    }

    /**
     * Runs the sweep as of {@code now} until a run claims nothing (the database holds other tests'
     * finished jobs too, and a run claims a batch): the jobs claimed are not due again as of the same instant.
     */
    private FinalizationSweeper.Run sweepAll(Instant now) {
        int reannounced = 0;
        int givenUp = 0;
        try {
            for (FinalizationSweeper.Run run = sweeper.sweep(now); run.reannounced() + run.givenUp() > 0; run = sweeper.sweep(now)) {
                reannounced += run.reannounced();
                givenUp += run.givenUp();
            }
        } catch (Throwable failure) {
            throw new AssertionError("The sweep failed", failure);
        }
        return new FinalizationSweeper.Run(reannounced, givenUp);
    }

    /** artifact-service's announcement of the job's manifest, sent and then consumed by job-service. */
    private void manifest(UUID job, int attempt, ArtifactState state) {
        ArtifactStateEvent event = new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, job, alice, ArtifactStateEvent.MANIFEST,
                state, 120, "abc", Instant.now(), attempt);
        RecordMetadata sent;
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka), new StringSerializer(),
                new EventSerializer())) {
            sent = producer.send(new ProducerRecord<>(Topics.ARTIFACT_STATE, job.toString(), event)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot publish the manifest", e);
        }
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).get(partition);
                return committed != null && committed.offset() > sent.offset();
            });
        }
    }

    /** How many times the job's state was published with {@code status}, once every event written so far was relayed. */
    private int ends(UUID job, JobStatus status) {
        return (int) states(job).stream().filter(s -> s.status() == status).count();
    }

    /**
     * The job's states on {@code aegis.job.state}, read to the topic's end once the outbox holds nothing
     * more of the job: every state written until now, and nothing short of it.
     */
    private List<JobStateEvent> states(UUID job) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("SELECT count(*) FROM jobs.outbox WHERE record_key = $1")
                .execute(Tuple.of(job.toString())).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 0);
        List<JobStateEvent> states = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                new StringDeserializer(), new JobStateDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_STATE).stream()
                    .map(p -> new TopicPartition(Topics.JOB_STATE, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("read %s to its end", Topics.JOB_STATE).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (job.toString().equals(r.key())) {
                        states.add(r.value());
                    }
                });
            }
        }
        return states;
    }

    private Row row(UUID job) {
        return pool.preparedQuery("SELECT attempt, finished_at, finalized_attempt, reannounce_count FROM jobs.job WHERE id = $1")
                .execute(Tuple.of(job)).await().atMost(Duration.ofSeconds(10)).iterator().next();
    }

    private int finalizedAttempt(UUID job) {
        return row(job).getInteger("finalized_attempt");
    }

    private int reannounceCount(UUID job) {
        return row(job).getInteger("reannounce_count");
    }

    private int attempt(UUID job) {
        return row(job).getInteger("attempt");
    }

    private Instant finishedAt(UUID job) {
        return row(job).getOffsetDateTime("finished_at").toInstant();
    }
}
