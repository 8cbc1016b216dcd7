package io.aegis.artifact.messaging;

import io.aegis.artifact.service.LogSpool;
import io.aegis.events.JobLogEvent;
import io.aegis.events.kafka.DeadLetter;
import io.quarkus.logging.Log;
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
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Spools every job's log lines as Kafka hands them over, a polled batch at a time. A line that cannot
 * be read goes to the dead-letter topic as it came ({@link DeadLetter}: the connector's dead-letter
 * strategy does not reach into a batch), and the batch is acknowledged once both are done.
 */
@ApplicationScoped
public class LogSpoolConsumer {

    private final LogSpool spool;
    private final MutinyEmitter<byte[]> deadLetters;

    public LogSpoolConsumer(LogSpool spool, @Channel("dead-letter") MutinyEmitter<byte[]> deadLetters) {
        this.spool = spool;
        this.deadLetters = deadLetters;
    }

    @Incoming("job-log")
    public Uni<Void> onLogs(ConsumerRecords<String, JobLogEvent> records) {
        List<JobLogEvent> lines = new ArrayList<>(records.count());
        List<ProducerRecord<String, byte[]>> dead = new ArrayList<>();
        for (ConsumerRecord<String, JobLogEvent> record : records) {
            if (DeadLetter.unreadable(record)) {
                dead.add(DeadLetter.of(record));
            } else {
                lines.add(record.value());
            }
        }
        Uni<Void> spooled = spool.append(lines);
        if (dead.isEmpty()) {
            return spooled;
        }
        // one at a time, so that a poll full of them never overflows the emitter's buffer; and a dead
        // letter that cannot be sent is logged, never the batch's failure (that would stop the channel)
        return spooled.chain(() -> Multi.createFrom().iterable(dead).onItem().transformToUniAndConcatenate(this::deadLetter)
                .collect().last().replaceWithVoid());
    }

    private Uni<Void> deadLetter(ProducerRecord<String, byte[]> record) {
        return deadLetters.sendMessage(Message.of(record.value() == null ? new byte[0] : record.value())
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(record.topic())
                                .withKey(record.key()).withHeaders(record.headers()).build()))
                .onFailure().recoverWithItem(failure -> {
                    Log.errorf("A log line that could not be read (%s) was not kept in the dead letters either: %s",
                            record.key(), failure.getMessage());
                    return null;
                });
    }
}
