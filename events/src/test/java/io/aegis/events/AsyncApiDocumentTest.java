package io.aegis.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document ({@code asyncapi/asyncapi.yaml}) describes exactly the topics of {@link Topics}
 * and {@code topics.json}, as they are created, and everything it references exists.
 */
class AsyncApiDocumentTest {

    private static final String DOCUMENT = "asyncapi/asyncapi.yaml";
    private static final JsonNode ASYNCAPI = read(DOCUMENT, new ObjectMapper(new YAMLFactory()));

    private static Map<String, JsonNode> channelsByTopic() {
        Map<String, JsonNode> channels = new HashMap<>();
        ASYNCAPI.path("channels").forEach(channel -> channels.put(channel.path("address").asText(), channel));
        return channels;
    }

    @Test
    void isAnAsyncApi3DocumentForKafka() {
        assertThat(ASYNCAPI.path("asyncapi").asText()).startsWith("3.0.");
        assertThat(ASYNCAPI.path("defaultContentType").asText()).isEqualTo(CloudEvents.CONTENT_TYPE);
        assertThat(ASYNCAPI.path("servers")).isNotEmpty()
                .allSatisfy(server -> assertThat(server.path("protocol").asText()).isEqualTo("kafka"));
    }

    @Test
    void everyTopicIsAChannelAndEveryChannelATopic() {
        List<String> addresses = new ArrayList<>();
        ASYNCAPI.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));

        assertThat(addresses).containsExactlyElementsOf(Topics.ALL);
        assertThat(addresses).containsExactlyElementsOf(TopicDefinition.all().stream().map(TopicDefinition::name).toList());
    }

    @Test
    void eachChannelIsCreatedAsTopicsJsonSays() {
        Map<String, JsonNode> channels = channelsByTopic();
        for (TopicDefinition topic : TopicDefinition.all()) {
            JsonNode kafka = channels.get(topic.name()).path("bindings").path("kafka");
            assertThat(kafka.path("topic").asText()).isEqualTo(topic.name());
            assertThat(kafka.path("partitions").asInt()).as(topic.name()).isEqualTo(TopicDefinition.defaultPartitions());
            JsonNode config = kafka.path("topicConfiguration");
            assertThat(config.path("cleanup.policy").get(0).asText()).as(topic.name()).isEqualTo(topic.cleanupPolicy());
            if (topic.retentionMs() != null) {
                assertThat(config.path("retention.ms").asLong()).as(topic.name()).isEqualTo(topic.retentionMs());
            }
            if (topic.cleanupPolicy().equals("compact")) {
                assertThat(config.has("retention.ms")).as(topic.name()).isFalse();
            }
        }
    }

    @Test
    void eachEventTopicsMessageIsACloudEventOfItsTypeWithItsTopicsSchema() {
        Map<String, JsonNode> channels = channelsByTopic();
        for (String topic : Topics.EVENTS) {
            JsonNode message = resolve(channels.get(topic).path("messages").elements().next());
            assertThat(message.path("payload").path("$ref").asText()).as(topic)
                    .isEqualTo("./" + Topics.schemaResource(topic).substring("asyncapi/".length()));
            JsonNode headers = message.path("headers").path("allOf");
            assertThat(headers.get(0).path("$ref").asText()).isEqualTo("#/components/schemas/cloudEventHeaders");
            assertThat(headers.get(1).path("properties").path("ce_type").path("const").asText()).as(topic)
                    .isEqualTo(Topics.cloudEventType(topic));
            assertThat(headers.get(1).path("properties").path("ce_source").path("const").asText()).as(topic)
                    .startsWith("/aegis/");
            assertThat(message.path("bindings").path("kafka").path("key").path("$ref").asText())
                    .isEqualTo("#/components/schemas/jobKey");
        }
        assertThat(resolve(ASYNCAPI.at("/components/schemas/cloudEventHeaders")).path("required"))
                .extracting(JsonNode::asText).containsExactlyElementsOf(CloudEvents.HEADERS);
    }

    @Test
    void theSourcesNamedAreTheProducersOfEachTopic() {
        Map<String, String> sources = Map.of(Topics.JOB_PROGRESS, CloudEvents.PIPELINE_WORKER,
                Topics.JOB_LOG, CloudEvents.PIPELINE_WORKER, Topics.ARTIFACT_STATE, CloudEvents.ARTIFACT_SERVICE);
        Map<String, JsonNode> channels = channelsByTopic();
        for (String topic : Topics.EVENTS) {
            JsonNode message = resolve(channels.get(topic).path("messages").elements().next());
            assertThat(message.at("/headers/allOf/1/properties/ce_source/const").asText()).as(topic)
                    .isEqualTo(sources.getOrDefault(topic, CloudEvents.JOB_SERVICE));
        }
    }

    @Test
    void everyChannelHasAPublisherAndEveryEventChannelAReader() {
        Map<String, Integer> sends = new HashMap<>();
        Map<String, Integer> receives = new HashMap<>();
        ASYNCAPI.path("operations").forEach(operation -> {
            String topic = resolve(operation.path("channel")).path("address").asText();
            (operation.path("action").asText().equals("send") ? sends : receives).merge(topic, 1, Integer::sum);
        });
        assertThat(sends.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(receives.keySet()).containsExactlyInAnyOrderElementsOf(Topics.EVENTS);
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(ASYNCAPI, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            if (ref.startsWith("#/")) {
                assertThat(ASYNCAPI.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            } else {
                assertThat(ref).as("a file beside the document").startsWith("./");
                assertThat(getClass().getClassLoader().getResource("asyncapi/" + ref.substring(2))).as(ref).isNotNull();
            }
        }
        for (String topic : Topics.EVENTS) {
            assertThat(refs).as("the schema of %s is referenced", topic)
                    .contains("./" + Topics.schemaResource(topic).substring("asyncapi/".length()));
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.path("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    /** The node itself, or what its local {@code $ref} points at. */
    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText();
        return ref.startsWith("#/") ? resolve(ASYNCAPI.at(ref.substring(1))) : node;
    }

    private static JsonNode read(String resource, ObjectMapper mapper) {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
