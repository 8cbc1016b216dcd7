package io.aegis.events.kafka;

import io.aegis.events.EventJson;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for every Aegis event, through {@link EventJson}. */
public class EventSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object event) {
        return event == null ? null : EventJson.encode(event);
    }
}
