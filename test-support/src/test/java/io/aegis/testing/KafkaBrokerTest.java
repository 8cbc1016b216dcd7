package io.aegis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void theBuildsBrokerIsFoundAgainByTheNextTestJvmWithItsTopicsEmptied(@TempDir Path folder) throws Exception {
        // under ./aegis test this is the build's own broker; otherwise one started here for the test
        String shared = System.getenv(KafkaBroker.SHARED_HOME);
        Path home = shared == null ? folder : KafkaBroker.moduleHome(shared);
        KafkaBroker first = KafkaBroker.ofBuild(home);
        try {
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.JOB_STATE, "left", "by an earlier module")).get();
            }
            assertThat(endOffset(first, Topics.JOB_STATE)).isEqualTo(1);

            KafkaBroker next = KafkaBroker.ofBuild(home);
            assertThat(next.bootstrapServers()).isEqualTo(first.bootstrapServers());
            assertThat(endOffset(next, Topics.JOB_STATE)).isZero();
        } finally {
            if (shared == null) {
                first.close();
            }
        }
    }

    @Test
    void theBrokersPortIsReadBackFromTheConfigurationItWasStartedWith() {
        assertThat(KafkaBroker.listenerPort(KafkaBroker.serverProperties(Path.of("data"), 41234, 41235))).isEqualTo(41234);
    }

    private static long endOffset(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).offset();
        }
    }

    @Test
    void aRecordProducedToAnAegisTopicIsConsumedBack() throws Exception {
        String servers = KafkaBroker.shared().bootstrapServers();
        String key = UUID.randomUUID().toString();
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOB_LOG, key, "hello")).get();
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "broker-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_LOG));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.stream().noneMatch(r -> r.key().equals(key)) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            assertThat(seen).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(key);
                assertThat(r.value()).isEqualTo("hello");
            });
        }
    }
}
