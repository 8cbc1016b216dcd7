package io.aegis.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The payload contract: each topic's event serialized by {@link EventJson} is its golden file
 * ({@code src/test/resources/golden/<topic>.json}) field by field, so a renamed, dropped or retyped
 * field fails here before it reaches a consumer; each golden file is valid against the topic's JSON
 * Schema ({@link Topics#schemaResource}); and each schema names exactly the record's fields and
 * enumerates exactly the Java enum's wire values.
 */
class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final UUID JOB = UUID.fromString("3f1c2a4e-8b7d-4c6a-9e21-5a0b7c3d9f10");
    private static final Instant AT = Instant.parse("2026-03-04T05:06:07.123Z");

    /** One event per topic with every field set, as the golden files hold them. */
    static Stream<Arguments> events() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("program", "blastp");
        params.put("evalue", 0.001);
        return Stream.of(
                Arguments.of(Topics.JOB_REQUESTED, new JobRequestedEvent(JobRequestedEvent.SCHEMA, JOB, "alice", "blast",
                        "demo", params, "jobs/" + JOB + "/input.fasta", 2, 1, AT)),
                Arguments.of(Topics.JOB_CONTROL, new JobControlEvent(JobControlEvent.SCHEMA, JOB,
                        JobControlEvent.Action.CANCEL, 1, "cancelled by alice", AT)),
                Arguments.of(Topics.JOB_PROGRESS, new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, 42, Steps.SEARCH,
                        StepStatus.FAILED, 1, 2, JobStatus.FAILED, "batch 2 of 2", "blastp exited with status 2",
                        "TOOL_FAILED", false, "pipeline-worker-0", AT, 41L)),
                Arguments.of(Topics.JOB_LOG, new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 41, Steps.SEARCH, LogStream.STDERR,
                        "aegis-blast-0/blastp", "BLAST Database error: No alias or index file found", AT, 7L)),
                Arguments.of(Topics.JOB_STATE, new JobStateEvent(JobStateEvent.SCHEMA, JOB, "alice", JobStatus.FAILED,
                        Steps.SEARCH, 1, 2, "blastp exited with status 2", "TOOL_FAILED", 1, 9,
                        UUID.fromString("0b6c1f9e-5b8e-4a63-9f5e-1f0f6c1a2b3c"), AT, 41L, 42L)),
                Arguments.of(Topics.JOB_DELETED, new JobDeletedEvent(JobDeletedEvent.SCHEMA, JOB, "alice", "retention", AT)),
                Arguments.of(Topics.ARTIFACT_STATE, new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, JOB, "alice",
                        "hits.tsv", ArtifactState.READY, 1234,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AT, 1,
                        "/api/v1/jobs/" + JOB + "/artifacts/hits.tsv")));
    }

    @Test
    void everyEventTopicHasAnEventHereAndASchema() {
        assertThat(events().map(arguments -> (String) arguments.get()[0])).containsExactlyElementsOf(Topics.EVENTS);
        for (String topic : Topics.EVENTS) {
            assertThat(read(Topics.schemaResource(topic)).path("title").asText()).as(topic).endsWith("Event");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void eachEventIsItsGoldenFileFieldByField(String topic, Object event) {
        JsonNode golden = golden(topic);
        JsonNode written = tree(EventJson.encodeToString(event));

        assertThat(fieldNames(written)).as("fields of %s", topic).containsExactlyInAnyOrderElementsOf(fieldNames(golden));
        for (String field : fieldNames(golden)) {
            assertThat(written.get(field)).as("%s.%s", topic, field).isEqualTo(golden.get(field));
        }
        assertThat(EventJson.decode(golden.toString(), event.getClass())).as("read back").isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void eachGoldenFileIsValidAgainstItsTopicsSchema(String topic, Object event) {
        assertThat(errors(topic, golden(topic))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void anEventWithOnlyItsRequiredFieldsIsValidAndMissingOneIsNot(String topic, Object event) {
        JsonNode schema = read(Topics.schemaResource(topic));
        ObjectNode least = JSON.createObjectNode();
        schema.path("required").forEach(field -> least.set(field.asText(), golden(topic).get(field.asText())));
        assertThat(errors(topic, least)).as("only the required fields").isEmpty();

        for (JsonNode field : schema.path("required")) {
            ObjectNode without = least.deepCopy();
            without.remove(field.asText());
            assertThat(errors(topic, without)).as("without %s", field.asText()).isNotEmpty();
        }
    }

    @Test
    void aRenamedFieldIsNotTheContract() {
        ObjectNode renamed = (ObjectNode) golden(Topics.JOB_STATE);
        renamed.set("state", renamed.remove("status"));

        assertThat(errors(Topics.JOB_STATE, renamed)).extracting(Error::getMessage)
                .anySatisfy(message -> assertThat(message).contains("status"));
    }

    @Test
    void formatsAreChecked() {
        ObjectNode event = (ObjectNode) golden(Topics.JOB_DELETED);
        event.put("jobId", "not-a-uuid");
        event.put("at", "yesterday");

        assertThat(errors(Topics.JOB_DELETED, event)).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void eachSchemaNamesExactlyTheFieldsOfItsRecord(String topic, Object event) {
        JsonNode schema = read(Topics.schemaResource(topic));
        List<String> components = Arrays.stream(event.getClass().getRecordComponents()).map(c -> c.getName()).toList();

        assertThat(fieldNames(schema.path("properties"))).containsExactlyElementsOf(components);
        assertThat(schema.path("required")).extracting(JsonNode::asText).isSubsetOf(components);
    }

    @Test
    void schemasEnumerateTheWireValuesOfTheJavaEnums() {
        assertThat(enumOf(Topics.JOB_STATE, "status")).containsExactlyElementsOf(wire(JobStatus.values(), Enum::name));
        assertThat(enumOf(Topics.JOB_PROGRESS, "status")).containsExactlyElementsOf(wire(JobStatus.values(), Enum::name));
        assertThat(enumOf(Topics.JOB_PROGRESS, "stepStatus"))
                .containsExactlyElementsOf(wire(StepStatus.values(), StepStatus::wire));
        assertThat(enumOf(Topics.JOB_LOG, "stream")).containsExactlyElementsOf(wire(LogStream.values(), LogStream::wire));
        assertThat(enumOf(Topics.ARTIFACT_STATE, "state"))
                .containsExactlyElementsOf(wire(ArtifactState.values(), ArtifactState::wire));
        assertThat(enumOf(Topics.JOB_CONTROL, "action"))
                .containsExactlyElementsOf(wire(JobControlEvent.Action.values(), Enum::name));
    }

    private static <E> List<String> wire(E[] values, Function<E, String> wire) {
        return Arrays.stream(values).map(wire).toList();
    }

    private static List<String> enumOf(String topic, String field) {
        List<String> values = new ArrayList<>();
        read(Topics.schemaResource(topic)).path("properties").path(field).path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    /** What the topic's schema finds wrong with a payload, formats (uuid, date-time) asserted. */
    private static List<Error> errors(String topic, JsonNode payload) {
        Schema schema = SCHEMAS.getSchema(read(Topics.schemaResource(topic)).toString(), InputFormat.JSON);
        return schema.validate(payload, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    }

    private static JsonNode golden(String topic) {
        return read("golden/" + topic + ".json");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = EventSchemasTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
