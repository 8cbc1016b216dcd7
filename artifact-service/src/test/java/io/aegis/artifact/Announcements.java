package io.aegis.artifact;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.Topics;
import io.aegis.events.kafka.ArtifactStateDeserializer;
import io.aegis.testing.KafkaRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What {@code aegis.artifact.state} says of a job, read as another service would. {@link #through}
 * answers once the announcement a test waits for is there, with everything announced of the job up to
 * that moment: no fixed wait, and nothing announced before it (a second build's, say) is missed.
 */
public final class Announcements {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Announcements() {
    }

    /**
     * Every announcement of {@code job} up to the end of the topic as it is once {@code name} has been
     * announced (or {@link #TIMEOUT} passed without it).
     */
    public static List<ArtifactStateEvent> through(String kafka, UUID job, String name) {
        KafkaRecords.read(kafka, Topics.ARTIFACT_STATE, job.toString(), new ArtifactStateDeserializer(),
                events -> events.stream().anyMatch(e -> e.name().equals(name)), TIMEOUT);
        return upToNow(kafka, job);
    }

    /** Every announcement of {@code job}, from the topic's start to its end as it is now. */
    public static List<ArtifactStateEvent> upToNow(String kafka, UUID job) {
        List<ArtifactStateEvent> events = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ArtifactStateDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ARTIFACT_STATE, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The artifact announcements were not read to their end within " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                    if (job.toString().equals(record.key())) {
                        events.add(record.value());
                    }
                });
            }
        }
        return events;
    }
}
