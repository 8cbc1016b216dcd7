package io.aegis.web.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

    private static final Map<String, Object> CHANNELS = Map.of(
            "bootstrap.servers", "kafka:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"job-service\" password=\"p\";",
            "ssl.truststore.location", "/etc/aegis/kafka/ca.p12",
            "group.id", "a-consumer-setting",
            "client.id", "the-channels-id");

    @Test
    void aClientBuiltByHandReachesTheClusterWithTheChannelsServersAndCredentials() {
        Map<String, Object> producer = KafkaClientSettings.forClient(CHANNELS, ProducerConfig.configNames(),
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, "job-service-outbox", ProducerConfig.ACKS_CONFIG, "all"));

        assertThat(producer)
                .containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", CHANNELS.get("sasl.jaas.config"))
                .containsEntry("ssl.truststore.location", "/etc/aegis/kafka/ca.p12")
                .containsEntry("acks", "all")
                .as("its own settings win").containsEntry("client.id", "job-service-outbox")
                .as("a consumer's setting is not a producer's").doesNotContainKey("group.id");
    }
}
