package io.aegis.web.kafka;

import io.aegis.events.kafka.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * What this service sends to the dead letters ({@code aegis.dead-letter}), counted where it is sent:
 * {@code aegis_dead_letters_total}, labelled with the topic the record came from and the channel that
 * consumed it (a handful of values each, never a key), so that nothing goes there unseen. Both ways a
 * record gets there count: SmallRye's dead-letter-queue strategy ({@link CountedDeadLetterQueue}) and a
 * batch consumer's own sending of the records the connector could not read ({@link #sendUnreadable}),
 * which the strategy does not reach into a batch for.
 *
 * <p>On in every service that uses web-support and Kafka; the gateway, which has no Kafka, leaves it out
 * with {@code quarkus.arc.exclude-types}.
 */
@ApplicationScoped
public class DeadLetters {

    /** The counter's Micrometer name: Prometheus reads it as {@code aegis_dead_letters_total}. */
    static final String METER = "aegis.dead.letters";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MeterRegistry registry;

    public DeadLetters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A record of {@code topic}, consumed on {@code channel}, is in the dead letters. */
    public void sent(String topic, String channel) {
        counter(topic, channel).increment();
    }

    /**
     * Shows the series of {@code topic} and {@code channel} from now on, at 0 until a record goes to the
     * dead letters: a series born at 1 is no increase to Prometheus, and an alert on the increase would
     * miss the first dead letter.
     */
    public void expect(String topic, String channel) {
        counter(topic, channel);
    }

    private Counter counter(String topic, String channel) {
        return Counter.builder(METER)
                .description("Records sent to aegis.dead-letter, by the topic they came from and the channel that consumed them")
                .tag("topic", topic).tag("channel", channel).register(registry);
    }

    /**
     * Sends the records of a polled batch that the connector could not read ({@link DeadLetter#unreadable})
     * to the dead letters as they came ({@link DeadLetter#of}) through {@code emitter}, an outgoing channel
     * to {@code aegis.dead-letter} with a byte-array value serializer; done once each was sent. One at a
     * time, so that a poll full of them never overflows the emitter's buffer; and a dead letter that
     * cannot be sent is logged, never the batch's failure (that would stop the channel).
     *
     * @param channel the incoming channel the batch came from, the counter's label (its series shows
     *                from the channel's first batch on, at 0 until a dead letter)
     */
    public Uni<Void> sendUnreadable(String channel, ConsumerRecords<String, ?> records, MutinyEmitter<byte[]> emitter) {
        records.partitions().stream().map(TopicPartition::topic).distinct().forEach(topic -> expect(topic, channel));
        List<ConsumerRecord<String, ?>> dead = new ArrayList<>();
        for (ConsumerRecord<String, ?> record : records) {
            if (DeadLetter.unreadable(record)) {
                dead.add(record);
            }
        }
        if (dead.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(dead).onItem().transformToUniAndConcatenate(record -> send(channel, record, emitter))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> send(String channel, ConsumerRecord<String, ?> unreadable, MutinyEmitter<byte[]> emitter) {
        ProducerRecord<String, byte[]> dead = DeadLetter.of(unreadable);
        return emitter.sendMessage(Message.of(dead.value() == null ? new byte[0] : dead.value())
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(dead.topic())
                                .withKey(dead.key()).withHeaders(dead.headers()).build()))
                .invoke(() -> sent(unreadable.topic(), channel))
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf("A record of %s that could not be read (key %s, offset %d) was not kept in the dead letters"
                            + " either: %s", unreadable.topic(), unreadable.key(), unreadable.offset(), failure.getMessage());
                    return null;
                });
    }
}
