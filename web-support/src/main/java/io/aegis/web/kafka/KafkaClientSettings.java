package io.aegis.web.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one home of the settings a Kafka client built by hand takes (an outbox producer, an admin
 * client): every {@code kafka.*} setting the channels get ({@code default-kafka-broker}: the servers,
 * the security protocol, SASL and TLS settings) that a client of its kind knows, then its own
 * settings, which win. So a client built by hand reaches a secured cluster exactly as the channels do.
 */
public final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    /**
     * @param kafka       the channels' settings ({@code @Identifier("default-kafka-broker") Map<String, Object>})
     * @param configNames what the client knows, e.g. {@code ProducerConfig.configNames()}
     * @param own         the client's own settings (its id, timeouts, acknowledgements)
     */
    public static Map<String, Object> forClient(Map<String, Object> kafka, Set<String> configNames,
                                                Map<String, Object> own) {
        Map<String, Object> settings = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (configNames.contains(key)) {
                settings.put(key, value);
            }
        });
        settings.putAll(own);
        return settings;
    }
}
