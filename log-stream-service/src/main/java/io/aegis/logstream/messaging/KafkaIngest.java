package io.aegis.logstream.messaging;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.service.EventLog;
import io.aegis.logstream.service.JobSignals;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumption per replica: every event a client may see goes into its job's replay
 * buffer, then the job's open streams are signalled.
 */
@ApplicationScoped
public class KafkaIngest {

    private final EventLog log;
    private final JobSignals signals;
    private final LogStreamConfig config;

    public KafkaIngest(EventLog log, JobSignals signals, LogStreamConfig config) {
        this.log = log;
        this.signals = signals;
        this.config = config;
    }

    @Incoming("job-progress")
    public Uni<Void> progress(JobProgressEvent event) {
        return event == null ? skip() : ingest(event.jobId(), event);
    }

    @Incoming("job-log")
    public Uni<Void> log(JobLogEvent event) {
        return event == null ? skip() : ingest(event.jobId(), event);
    }

    /**
     * A terminal state is buffered after a short grace, without holding up the consumer: events
     * the worker sent before the end travel on other topics and may still be in flight. Should this
     * replica stop within the grace, a reconnecting client still ends: its snapshot is terminal.
     */
    @Incoming("job-state")
    public Uni<Void> state(JobStateEvent event) {
        if (event == null || !event.status().isTerminal()) {
            return skip();
        }
        Uni.createFrom().voidItem().onItem().delayIt().by(config.terminalGrace())
                .chain(() -> ingest(event.jobId(), event))
                .subscribe().with(done -> { }, failure -> Log.errorf(failure, "State of job %s not buffered", event.jobId()));
        return skip();
    }

    @Incoming("artifact-state")
    public Uni<Void> artifact(ArtifactStateEvent event) {
        return event == null ? skip() : ingest(event.jobId(), event);
    }

    private Uni<Void> ingest(UUID jobId, Object event) {
        return StreamEvent.of(event)
                .map(e -> log.append(jobId, e)
                        .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(10)
                        .invoke(() -> signals.signal(jobId))
                        .onFailure().invoke(f -> Log.errorf(f, "Event of job %s not buffered", jobId))
                        .onFailure().recoverWithNull()
                        .replaceWithVoid())
                .orElseGet(KafkaIngest::skip);
    }

    private static Uni<Void> skip() {
        return Uni.createFrom().voidItem();
    }
}
