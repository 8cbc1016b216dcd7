package io.aegis.artifact.messaging;

import io.aegis.artifact.service.LogSpool;
import io.aegis.events.JobLogEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Spools every job's log lines as Kafka hands them over, a polled batch at a time. */
@ApplicationScoped
public class LogSpoolConsumer {

    private final LogSpool spool;

    public LogSpoolConsumer(LogSpool spool) {
        this.spool = spool;
    }

    @Incoming("job-log")
    public Uni<Void> onLogs(List<JobLogEvent> events) {
        return spool.append(events);
    }
}
