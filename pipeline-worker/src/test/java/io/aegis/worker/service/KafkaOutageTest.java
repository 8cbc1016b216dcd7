package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobProgressDeserializer;
import io.aegis.testing.KafkaBroker;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.worker.messaging.WorkerEvents;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The worker through a real broker outage: the build's broker is stopped while a job runs and
 * started again on the same port and data. The test profile gives each send a few seconds before it
 * fails (see application.properties), so the outage makes sends fail and be sent again.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class KafkaOutageTest {

    private static final Path QUERIES = Path.of("src/test/resources/queries.fasta");
    private static final int QUERY_COUNT = 6;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Inject
    WorkerEvents events;

    @Test
    void aJobRunningThroughABrokerOutageSucceedsAndEveryStepIsReportedInOrderOnceTheBrokerIsBack() throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        UUID job = UUID.randomUUID();
        Files.createDirectories(store.jobDir(job));
        // the input is a pipe: the job waits in validate until the test writes it, which it does once the broker is down
        Path input = store.input(job);
        assertThat(new ProcessBuilder("mkfifo", input.toString()).start().waitFor()).isZero();
        publish(new JobRequestedEvent(JobRequestedEvent.SCHEMA, job, "alice", "blast", "testdb",
                Map.of("program", "blastp"), StoreLayout.inputRef(job), QUERY_COUNT, 1, Instant.now()));
        progress(job, seen -> seen.stream().anyMatch(e -> Steps.VALIDATE.equals(e.step())));
        long failedBefore = events.progressSendsFailed();
        Path scratch = store.root().resolve("scratch").resolve(job + "-1");

        KafkaBroker.shared().outage(() -> {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    Files.writeString(input, Files.readString(QUERIES));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the whole job runs while the broker is away, and its reports fail and wait
            await().atMost(Duration.ofSeconds(60)).until(() -> writer.isDone()
                    && Files.exists(store.results(job).resolve("hits.tsv")) && !Files.exists(scratch));
            // a send fails once its producer gives up: a delivery timeout, or a metadata wait (max.block.ms)
            await().atMost(Duration.ofSeconds(90)).until(() -> events.progressSendsFailed() > failedBefore);
            assertThat(events.progressWaiting()).as("the outcome waits with the steps").isPositive();
        });

        List<JobProgressEvent> progress = progress(job, seen -> seen.stream().anyMatch(e -> e.status().isTerminal()));
        JobProgressEvent last = progress.getLast();
        assertThat(last.status()).as("%s", progress).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(last.done()).isEqualTo(QUERY_COUNT);
        assertThat(progress.stream().filter(e -> e.stepStatus() == StepStatus.RUNNING).map(JobProgressEvent::step))
                .containsExactlyElementsOf(Steps.BLAST);
        assertThat(progress.stream().filter(e -> e.stepStatus() == StepStatus.COMPLETED).map(JobProgressEvent::step))
                .containsExactlyElementsOf(Steps.BLAST);
        assertThat(progress).filteredOn(e -> e.status().isTerminal()).hasSize(1);
        assertThat(progress).extracting(JobProgressEvent::seq).isSorted();
        assertThat(ScratchRecords.recordOf(scratch)).doesNotExist();
    }

    private void publish(JobRequestedEvent request) throws Exception {
        try (var producer = new KafkaProducer<String, Object>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new EventSerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOB_REQUESTED, request.jobId().toString(), request))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The job's progress from the topic's start, distinct by sequence number, once {@code done} holds. */
    private List<JobProgressEvent> progress(UUID job, Predicate<List<JobProgressEvent>> done) {
        List<JobProgressEvent> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                new StringDeserializer(), new JobProgressDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_PROGRESS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    // a send the broker took but did not acknowledge in time is sent again: job-service drops the copy by seq
                    if (job.toString().equals(r.key()) && seen.stream().noneMatch(e -> e.seq() == r.value().seq())) {
                        seen.add(r.value());
                    }
                });
                return done.test(seen);
            });
        }
        return seen;
    }
}
