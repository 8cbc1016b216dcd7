package io.aegis.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.testing.KafkaBroker;
import io.aegis.testing.Ports;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class KafkaReachableCheckTest {

    @Test
    void readyWithTheBrokersOfARealCluster() {
        KafkaReachableCheck check = new KafkaReachableCheck(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers()));
        try {
            assertThat(check.ask()).isEqualTo(new KafkaReachableCheck.Answer(true, "1"));
        } finally {
            check.stop();
        }
    }

    @Test
    void notReadyWhenNoBrokerAnswersAndTheAnswerSaysWhyAtOnce() {
        String nobody = "127.0.0.1:" + Ports.free();
        KafkaReachableCheck check = new KafkaReachableCheck(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nobody));
        try {
            long started = System.nanoTime();
            assertThat(check.ask()).isEqualTo(new KafkaReachableCheck.Answer(false, "no broker answered within 3 s"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            HealthCheckResponse response = check.call();
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data)
                    .containsEntry("bootstrap.servers", nobody).containsKey("error"));
        } finally {
            check.stop();
        }
    }

    @Test
    void theChannelsSettingsReachTheAdminClientButTheTimeoutsAreShort() {
        Map<String, Object> config = KafkaReachableCheck.adminConfig(Map.of(
                "bootstrap.servers", "kafka:9092",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "value.deserializer", "not.for.an.admin.Client",
                "request.timeout.ms", 30_000));
        assertThat(config)
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("request.timeout.ms", 3000)
                .containsEntry("default.api.timeout.ms", 3000)
                .doesNotContainKey("value.deserializer");
    }

    @Test
    void aFailureIsToldByItsKindAndMessage() {
        assertThat(KafkaReachableCheck.failed(new java.util.concurrent.ExecutionException(
                new org.apache.kafka.common.errors.SaslAuthenticationException("Authentication failed: invalid credentials"))))
                .isEqualTo(new KafkaReachableCheck.Answer(false,
                        "SaslAuthenticationException: Authentication failed: invalid credentials"));
        assertThat(KafkaReachableCheck.failed(new java.util.concurrent.ExecutionException(new TimeoutException("x"))).detail())
                .isEqualTo("no broker answered within 3 s");
    }
}
