package io.aegis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.aegis.events.CloudEvents;
import io.aegis.events.Topics;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a record the way another lab system would: with the CloudEvents SDK's Kafka binding (binary
 * mode, {@code ce_*} headers), and its data against the topic's JSON Schema from the events module
 * ({@link Topics#schemaResource}), the one the AsyncAPI document references.
 */
public final class EventContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private EventContract() {
    }

    /** The record as the SDK's Kafka binding reads it; it fails on a record that is no CloudEvent. */
    public static CloudEvent read(ConsumerRecord<String, byte[]> record) {
        try (CloudEventDeserializer binding = new CloudEventDeserializer()) {
            binding.configure(Map.of(), false);
            return binding.deserialize(record.topic(), record.headers(), record.value());
        }
    }

    /**
     * What is wrong with a record of {@code topic} as a CloudEvent from {@code source} about its key's
     * job, of the topic's type, whose JSON data is valid against the topic's schema: nothing when it is.
     */
    public static List<String> problems(String topic, String source, ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        try {
            event = read(record);
        } catch (RuntimeException e) {
            return List.of("not a CloudEvent: " + e);
        }
        List<String> problems = new ArrayList<>();
        expect(problems, "specversion", event.getSpecVersion().toString(), CloudEvents.SPEC_VERSION);
        expect(problems, "source", event.getSource(), URI.create(source));
        expect(problems, "type", event.getType(), Topics.cloudEventType(topic));
        expect(problems, "subject", event.getSubject(), record.key());
        expect(problems, "datacontenttype", event.getDataContentType(), CloudEvents.CONTENT_TYPE);
        if (event.getId() == null || event.getId().isBlank()) {
            problems.add("no id");
        }
        if (event.getTime() == null) {
            problems.add("no time");
        }
        if (event.getData() == null) {
            problems.add("no data");
        } else {
            schemaErrors(topic, event.getData().toBytes()).forEach(error -> problems.add("data: " + error));
        }
        return problems;
    }

    /** What the topic's JSON Schema finds wrong with a payload (formats such as uuid and date-time asserted). */
    public static List<String> schemaErrors(String topic, byte[] json) {
        Schema schema = SCHEMAS.computeIfAbsent(topic, EventContract::load);
        JsonNode payload;
        try {
            payload = JSON.readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        return schema.validate(payload, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(Error::toString).toList();
    }

    private static void expect(List<String> problems, String attribute, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            problems.add(attribute + " is " + actual + ", not " + expected);
        }
    }

    private static Schema load(String topic) {
        String resource = Topics.schemaResource(topic);
        try (InputStream in = EventContract.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return REGISTRY.getSchema(JSON.readTree(in).toString(), InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
