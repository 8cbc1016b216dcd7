package io.aegis.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishing to and reading from the suite's broker the way another service would. */
public final class KafkaRecords {

    private KafkaRecords() {
    }

    /**
     * Sends each value keyed by {@code key}, in order, and waits for the broker's acks: all sent
     * before the first ack is awaited, as a producer does (an idempotent producer keeps their order),
     * instead of a round trip each.
     */
    public static void send(String servers, String topic, String key, Serializer<Object> serializer, List<?> values) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", servers),
                new StringSerializer(), serializer)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
            for (Object value : values) {
                acks.add(producer.send(new ProducerRecord<>(topic, key, value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot publish to " + topic, e);
        }
    }

    /**
     * Reads the values keyed by {@code key} from the start of {@code topic} until {@code done} holds
     * for what was read, or {@code timeout} passes; answers what was read either way.
     */
    public static <V> List<V> read(String servers, String topic, String key, Deserializer<V> deserializer,
                                   Predicate<List<V>> done, Duration timeout) {
        return records(servers, topic, key, deserializer, read -> done.test(values(read)), timeout).stream()
                .map(ConsumerRecord::value).toList();
    }

    /** Like {@link #read}, with each record whole: headers, partition and offset included. */
    public static <V> List<ConsumerRecord<String, V>> records(String servers, String topic, String key,
                                                             Deserializer<V> deserializer,
                                                             Predicate<List<ConsumerRecord<String, V>>> done,
                                                             Duration timeout) {
        List<ConsumerRecord<String, V>> values = new ArrayList<>();
        // the topic's partitions assigned by hand, read from their start: no consumer group to join,
        // which would cost a rebalance round for every read
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // the broker answers a fetch at once rather than holding it up to 500 ms for more
                // records, which closing the consumer would wait out on every read
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                new StringDeserializer(), deserializer)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(values) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        values.add(r);
                    }
                });
            }
        }
        return values;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
