package io.aegis.logstream.messaging;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.service.EventLog;
import io.aegis.logstream.service.Hub;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumption per replica: every event a client may see goes into its job's replay
 * buffer, then the job's feed on this replica is signalled. Every replica consumes every event; the
 * buffer keeps one copy, told apart by the record's topic partition and offset. An event is only
 * acknowledged once buffered: while Redis is away, consumption waits for it rather than lose events.
 */
@ApplicationScoped
public class KafkaIngest {

    /** Origin of a job's terminal event, whichever record brought it: a job ends once. */
    static final String TERMINAL_ORIGIN = "terminal";

    private final EventLog log;
    private final Hub hub;
    private final LogStreamConfig config;

    public KafkaIngest(EventLog log, Hub hub, LogStreamConfig config) {
        this.log = log;
        this.hub = hub;
        this.config = config;
    }

    @Incoming("job-progress")
    public Uni<Void> progress(ConsumerRecord<String, JobProgressEvent> record) {
        return record.value() == null ? skip() : ingest(record.value().jobId(), record);
    }

    @Incoming("job-log")
    public Uni<Void> log(ConsumerRecord<String, JobLogEvent> record) {
        return record.value() == null ? skip() : ingest(record.value().jobId(), record);
    }

    /**
     * A terminal state is buffered after a short grace, without holding up the consumer (jobs end
     * by the thousand): events the worker sent before the end travel on other topics and may still
     * be in flight. Should this replica stop within the grace, no client misses the end: a stream
     * opened on an ended job ends at once, told from the job's snapshot.
     */
    @Incoming("job-state")
    public Uni<Void> state(ConsumerRecord<String, JobStateEvent> record) {
        JobStateEvent event = record.value();
        if (event == null || !event.status().isTerminal()) {
            return skip();
        }
        Uni.createFrom().voidItem().onItem().delayIt().by(config.terminalGrace())
                .chain(() -> append(event.jobId(), TERMINAL_ORIGIN, 1, record))
                .subscribe().with(done -> { }, failure -> Log.errorf(failure, "End of job %s not buffered", event.jobId()));
        return skip();
    }

    @Incoming("artifact-state")
    public Uni<Void> artifact(ConsumerRecord<String, ArtifactStateEvent> record) {
        return record.value() == null ? skip() : ingest(record.value().jobId(), record);
    }

    private Uni<Void> ingest(UUID jobId, ConsumerRecord<String, ?> record) {
        return append(jobId, record.topic() + ":" + record.partition(), record.offset(), record);
    }

    private Uni<Void> append(UUID jobId, String origin, long position, ConsumerRecord<String, ?> record) {
        return StreamEvent.of(record.value())
                .map(event -> log.append(jobId, origin, position, event.publishedAt(record.timestamp()))
                        .onFailure().invoke(f -> Log.warnf("Event of job %s waits for Redis: %s", jobId, f.toString()))
                        .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).indefinitely()
                        .invoke(() -> hub.signal(jobId))
                        .replaceWithVoid())
                .orElseGet(KafkaIngest::skip);
    }

    private static Uni<Void> skip() {
        return Uni.createFrom().voidItem();
    }
}
