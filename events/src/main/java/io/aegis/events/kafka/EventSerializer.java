package io.aegis.events.kafka;

import io.aegis.events.CloudEvents;
import io.aegis.events.EventJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for every Aegis event, through {@link EventJson}. It also makes the record a
 * CloudEvent in binary mode: for an event whose attributes follow from the event itself
 * ({@link CloudEvents#of(Object)}: a worker's progress and log lines, artifact states) it adds the
 * {@code ce_*} headers, unless the record carries a {@code ce_id} already (the outbox's) or is a
 * dead letter, which keeps the headers its original had and nothing more. So every producer configured with it (the pipeline
 * workers' and artifact-service's channels) publishes CloudEvents without code of its own, and a
 * resent event, serialized again, has the same id.
 */
public class EventSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object event) {
        return event == null ? null : EventJson.encode(event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object event) {
        if (event != null && headers != null && headers.lastHeader("ce_id") == null
                && headers.lastHeader(DeadLetter.TOPIC) == null) {
            CloudEvents.of(event).ifPresent(attributes -> attributes.forEach(
                    (name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8))));
        }
        return serialize(topic, event);
    }
}
