package io.aegis.bench;

import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.Topics;
import io.aegis.events.kafka.ArtifactStateDeserializer;
import io.aegis.events.kafka.JobLogDeserializer;
import io.aegis.events.kafka.JobProgressDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The progress and log events of jobs, as a consumer of the broker sees them, each with the moment
 * this process received it, when each job's manifest (the artifact built last) was settled, and
 * the partition of {@code aegis.job.requested} each job was handed to the workers on. It reads every partition of these topics from their ends at the moment it opened
 * (no consumer group: nothing to join, nothing to rebalance), so it must be open before the jobs it
 * watches are submitted.
 */
final class JobEvents implements AutoCloseable {

    /** An event and when this process received it ({@link System#nanoTime()}). */
    record Received<T>(long nanos, T event) {
    }

    /** Everything received about one job so far, and when the first progress event and the outcome came. */
    static final class Job {
        final CompletableFuture<Received<JobProgressEvent>> first = new CompletableFuture<>();
        final CompletableFuture<Received<JobProgressEvent>> outcome = new CompletableFuture<>();
        final CompletableFuture<Integer> requestedPartition = new CompletableFuture<>();
        final CompletableFuture<Received<ArtifactStateEvent>> manifest = new CompletableFuture<>();
        final List<Received<JobProgressEvent>> progress = new ArrayList<>();
        final List<Received<JobLogEvent>> logs = new ArrayList<>();

        synchronized List<Received<JobProgressEvent>> progress() {
            return List.copyOf(progress);
        }

        synchronized List<Received<JobLogEvent>> logs() {
            return List.copyOf(logs);
        }
    }

    private final KafkaConsumer<String, Object> consumer;
    private final Map<UUID, Job> jobs = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> positioned = new CompletableFuture<>();
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> records = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closing;

    private JobEvents(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "aegis-bench-" + UUID.randomUUID());
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new EventDeserializer());
        this.poller = Thread.ofPlatform().name("job-events").daemon().start(this::poll);
    }

    /** Opens a reader and waits until it sits at the end of every partition. */
    static JobEvents open(String bootstrapServers) throws InterruptedException {
        JobEvents events = new JobEvents(bootstrapServers);
        try {
            events.positioned.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            events.close();
            throw new IllegalStateException("Cannot read " + Topics.JOB_PROGRESS + " from " + bootstrapServers
                    + ": " + e, e);
        }
        return events;
    }

    /** What was received about the job so far; the job's events are recorded from now on if they were not yet. */
    Job job(UUID jobId) {
        return jobs.computeIfAbsent(jobId, id -> new Job());
    }

    Received<JobProgressEvent> firstProgress(UUID jobId, Duration timeout) throws InterruptedException {
        return await(job(jobId).first, timeout, "a first progress event of job " + jobId);
    }

    Received<JobProgressEvent> outcome(UUID jobId, Duration timeout) throws InterruptedException {
        return await(job(jobId).outcome, timeout, "the outcome of job " + jobId);
    }

    /** The job's manifest ready (or failed for good): artifact-service has finalized the job. */
    Received<ArtifactStateEvent> manifest(UUID jobId, Duration timeout) throws InterruptedException {
        return await(job(jobId).manifest, timeout, "manifest of job " + jobId);
    }

    /** The partition of {@code aegis.job.requested} the job's request went to. */
    int requestedPartition(UUID jobId, Duration timeout) throws InterruptedException {
        return await(job(jobId).requestedPartition, timeout, "request of job " + jobId + " on " + Topics.JOB_REQUESTED);
    }

    /** The records received from each topic since this reader opened (the job states' bodies are not read). */
    Map<String, Long> records() {
        Map<String, Long> counts = new TreeMap<>();
        records.forEach((topic, count) -> counts.put(topic, count.sum()));
        return counts;
    }

    /** How many partitions the topic has. */
    int partitions(String topic) {
        return partitions.getOrDefault(topic, 0);
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("No " + what + " within " + timeout.toSeconds() + " s", e);
        }
    }

    private void poll() {
        try {
            List<TopicPartition> assigned = new ArrayList<>();
            for (String topic : List.of(Topics.JOB_PROGRESS, Topics.JOB_LOG, Topics.JOB_REQUESTED, Topics.ARTIFACT_STATE,
                    Topics.JOB_STATE)) {
                var found = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                partitions.put(topic, found.size());
                found.forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(assigned);
            consumer.seekToEnd(assigned);
            assigned.forEach(consumer::position);
            positioned.complete(null);
            while (!closing) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.nanoTime();
                    records.computeIfAbsent(record.topic(), t -> new LongAdder()).increment();
                    if (record.topic().equals(Topics.JOB_REQUESTED)) {
                        requested(record.key(), record.partition());
                        continue;
                    }
                    switch (record.value()) {
                        case JobProgressEvent progress -> received(now, progress);
                        case ArtifactStateEvent artifact -> artifact(now, artifact);
                        case JobLogEvent log -> {
                            Job job = job(log.jobId());
                            synchronized (job) {
                                job.logs.add(new Received<>(now, log));
                            }
                        }
                        case null, default -> {
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            positioned.completeExceptionally(e);
            if (!closing) {
                System.err.println("  reading job events stopped: " + e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Requests are keyed by job id; their bodies are not needed here. */
    private void requested(String key, int partition) {
        try {
            job(UUID.fromString(key)).requestedPartition.complete(partition);
        } catch (IllegalArgumentException | NullPointerException e) {
            // not a job id: not ours to follow
        }
    }

    private void received(long now, JobProgressEvent progress) {
        Job job = job(progress.jobId());
        Received<JobProgressEvent> received = new Received<>(now, progress);
        synchronized (job) {
            job.progress.add(received);
        }
        job.first.complete(received);
        if (progress.status() != null && progress.status().isTerminal()) {
            job.outcome.complete(received);
        }
    }

    private void artifact(long now, ArtifactStateEvent artifact) {
        if (ArtifactStateEvent.MANIFEST.equals(artifact.name()) && artifact.jobId() != null
                && (artifact.state() == ArtifactState.READY || artifact.state() == ArtifactState.FAILED)) {
            job(artifact.jobId()).manifest.complete(new Received<>(now, artifact));
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Each topic's records as its event type; the requests are not read. */
    private static final class EventDeserializer implements Deserializer<Object> {

        private final JobProgressDeserializer progress = new JobProgressDeserializer();
        private final JobLogDeserializer log = new JobLogDeserializer();
        private final ArtifactStateDeserializer artifact = new ArtifactStateDeserializer();

        @Override
        public Object deserialize(String topic, byte[] data) {
            return switch (topic) {
                case Topics.JOB_PROGRESS -> progress.deserialize(topic, data);
                case Topics.JOB_LOG -> log.deserialize(topic, data);
                case Topics.ARTIFACT_STATE -> artifact.deserialize(topic, data);
                default -> null;
            };
        }
    }
}
