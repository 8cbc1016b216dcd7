package io.aegis.artifact.messaging;

import io.aegis.artifact.service.LogSpool;
import io.aegis.events.JobLogEvent;
import io.aegis.events.kafka.DeadLetter;
import io.aegis.web.kafka.DeadLetters;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Spools every job's log lines as Kafka hands them over, a polled batch at a time. A line that cannot
 * be read goes to the dead-letter topic as it came ({@link DeadLetters#sendUnreadable}: the connector's
 * dead-letter strategy does not reach into a batch), and the batch is acknowledged once both are done.
 */
@ApplicationScoped
public class LogSpoolConsumer {

    static final String CHANNEL = "job-log";

    private final LogSpool spool;
    private final DeadLetters deadLetters;
    private final MutinyEmitter<byte[]> deadLetterTopic;

    public LogSpoolConsumer(LogSpool spool, DeadLetters deadLetters,
                            @Channel("dead-letter") MutinyEmitter<byte[]> deadLetterTopic) {
        this.spool = spool;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onLogs(ConsumerRecords<String, JobLogEvent> records) {
        List<JobLogEvent> lines = new ArrayList<>(records.count());
        for (ConsumerRecord<String, JobLogEvent> record : records) {
            if (!DeadLetter.unreadable(record)) {
                lines.add(record.value());
            }
        }
        return spool.append(lines).chain(() -> deadLetters.sendUnreadable(CHANNEL, records, deadLetterTopic));
    }
}
