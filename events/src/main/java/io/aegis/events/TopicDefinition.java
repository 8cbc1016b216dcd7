package io.aegis.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One Kafka topic as Aegis creates it: its name and its cleanup policy. The list is read from
 * {@code helm/aegis/files/topics.json}, the one definition that the chart's topics Job, {@code ./aegis up}
 * and the test broker all create topics from; partitions, replication and retention are the
 * deployment's choice (the file's {@code partitions} is the default), except where a topic names
 * a retention of its own.
 *
 * @param name the topic, one of {@link Topics#ALL}
 * @param cleanupPolicy {@code delete} or {@code compact}
 * @param retentionMs the topic's own {@code retention.ms}, kept whatever the deployment's retention of
 *                    the other topics (the dead letters wait for someone to look at them); null for the
 *                    deployment's
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TopicDefinition(String name, String cleanupPolicy, Long retentionMs) {

    /** Where the definition is on the class path (copied there from the chart by the build). */
    static final String RESOURCE = "/io/aegis/events/topics.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(int partitions, List<TopicDefinition> topics) {
    }

    private static final File FILE = read();

    /** Every topic, in the definition's order. */
    public static List<TopicDefinition> all() {
        return FILE.topics();
    }

    /** Partitions of a topic unless the deployment says otherwise. */
    public static int defaultPartitions() {
        return FILE.partitions();
    }

    /** The topic-level configuration to create the topic with. */
    public Map<String, String> configs() {
        return retentionMs == null ? Map.of("cleanup.policy", cleanupPolicy)
                : Map.of("cleanup.policy", cleanupPolicy, "retention.ms", retentionMs.toString());
    }

    private static File read() {
        try (InputStream in = TopicDefinition.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new ObjectMapper().readValue(in, File.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
