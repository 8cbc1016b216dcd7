package io.aegis.web.kafka;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * SmallRye's {@code dead-letter-queue} failure strategy, counted ({@link DeadLetters#sent}): a channel
 * with {@code failure-strategy=counted-dead-letter-queue} sends what it cannot read, or cannot process
 * after its retries, to its {@code dead-letter-queue.topic} exactly as {@code dead-letter-queue} does
 * (the same {@code dead-letter-queue.*} settings, the same {@code dead-letter-*} headers), and each
 * record counts once the broker has it. The channel's series shows from its start, at 0.
 *
 * <p>The handler is itself a {@link KafkaDeadLetterQueue}, around the one SmallRye builds: the connector
 * (4.x, {@code KafkaSource}) sends a record it could not read straight to the dead letters only when the
 * channel's handler is one; with any other it hands a single-record consumer the record, its payload
 * null, and such a record would not be dead-lettered but skipped or failed by the consumer.
 *
 * <p>On in every service that uses web-support and Kafka; the gateway leaves it out with
 * {@code quarkus.arc.exclude-types}.
 */
@ApplicationScoped
@Identifier(CountedDeadLetterQueue.STRATEGY)
public class CountedDeadLetterQueue implements KafkaFailureHandler.Factory {

    /** The channels' {@code failure-strategy} value. */
    public static final String STRATEGY = "counted-dead-letter-queue";

    private final KafkaFailureHandler.Factory queue;
    private final DeadLetters deadLetters;

    public CountedDeadLetterQueue(@Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE) KafkaFailureHandler.Factory queue,
                                  DeadLetters deadLetters) {
        this.queue = queue;
        this.deadLetters = deadLetters;
    }

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
                                      BiConsumer<Throwable, Boolean> reportFailure) {
        if (!config.getPattern() && config.getTopics().isEmpty()) {
            // the channel's series from its start, for its one topic (the channel's name unless told)
            deadLetters.expect(config.getTopic().orElse(config.getChannel()), config.getChannel());
        }
        return new Counted(config.getChannel(), queue.create(config, vertx, consumer, reportFailure), deadLetters);
    }

    /** SmallRye's handler of one channel, each record it has sent counted. */
    static final class Counted extends KafkaDeadLetterQueue {

        private final String channel;
        private final KafkaFailureHandler queue;
        private final DeadLetters deadLetters;

        Counted(String channel, KafkaFailureHandler queue, DeadLetters deadLetters) {
            // the producer is the wrapped handler's: every method that would use one of this one's is overridden
            super(channel, null, null, null);
            this.channel = channel;
            this.queue = queue;
            this.deadLetters = deadLetters;
        }

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            return queue.handle(record, reason, metadata).invoke(() -> deadLetters.sent(record.getTopic(), channel));
        }

        @Override
        public void terminate() {
            queue.terminate();
        }
    }
}
