package io.aegis.events.kafka;

import io.aegis.events.EventJson;
import org.apache.kafka.common.serialization.Deserializer;

/** Kafka value deserializer for one Aegis event type, through {@link EventJson}. */
public abstract class EventDeserializer<T> implements Deserializer<T> {

    private final Class<T> type;

    protected EventDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : EventJson.decode(data, type);
    }
}
