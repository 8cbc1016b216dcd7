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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** The longest a terminal event waits for the job's other events to stop coming. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    /** Each running job's events being buffered, and when the last one came or went; a job leaves it once ended. */
    private final Map<UUID, Activity> activity = new ConcurrentHashMap<>();

    private static final class Activity {
        final AtomicInteger inFlight = new AtomicInteger();
        volatile long last = System.nanoTime();

        boolean quietFor(Duration grace) {
            return inFlight.get() == 0 && System.nanoTime() - last >= grace.toNanos();
        }
    }

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
     * A terminal state is buffered once the job's own events have been quiet for a grace period
     * (at most {@link #LONGEST_WAIT}): the worker's last lines travel on other topics and may still
     * be in flight, or waiting for Redis. The consumer is not held up meanwhile (jobs end by the
     * thousand). Should this replica stop before, no client misses the end: a stream opened on an
     * ended job ends at once, told from the job's snapshot.
     */
    @Incoming("job-state")
    public Uni<Void> state(ConsumerRecord<String, JobStateEvent> record) {
        JobStateEvent event = record.value();
        if (event == null || !event.status().isTerminal()) {
            return skip();
        }
        UUID jobId = event.jobId();
        whenQuiet(jobId, System.nanoTime() + LONGEST_WAIT.toNanos())
                .chain(() -> append(jobId, TERMINAL_ORIGIN, 1, record))
                .subscribe().with(done -> activity.remove(jobId),
                        failure -> Log.errorf(failure, "End of job %s not buffered", jobId));
        return skip();
    }

    private Uni<Void> whenQuiet(UUID jobId, long deadline) {
        return Uni.createFrom().voidItem().onItem().delayIt().by(config.terminalGrace()).chain(() -> {
            Activity events = activity.get(jobId);
            boolean quiet = events == null || events.quietFor(config.terminalGrace());
            return quiet || System.nanoTime() - deadline > 0 ? skip() : whenQuiet(jobId, deadline);
        });
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
                .map(event -> {
                    // the job's terminal event waits while its other events are still being buffered
                    Activity events = TERMINAL_ORIGIN.equals(origin) ? new Activity()
                            : activity.computeIfAbsent(jobId, id -> new Activity());
                    events.inFlight.incrementAndGet();
                    return log.append(jobId, origin, position, event.publishedAt(record.timestamp()))
                            .onFailure().invoke(f -> Log.warnf("Event of job %s waits for Redis: %s", jobId, f.toString()))
                            .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).indefinitely()
                            .invoke(() -> hub.signal(jobId))
                            .onTermination().invoke(() -> {
                                events.last = System.nanoTime();
                                events.inFlight.decrementAndGet();
                            })
                            .replaceWithVoid();
                })
                .orElseGet(KafkaIngest::skip);
    }

    private static Uni<Void> skip() {
        return Uni.createFrom().voidItem();
    }
}
