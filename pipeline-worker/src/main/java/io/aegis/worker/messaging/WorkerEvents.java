package io.aegis.worker.messaging;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** What a worker publishes about the jobs it runs, keyed by job id so each job's events stay in order. */
@ApplicationScoped
public class WorkerEvents {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<Record<String, JobProgressEvent>> progress;
    private final MutinyEmitter<Record<String, JobLogEvent>> logs;

    public WorkerEvents(@Channel("job-progress") MutinyEmitter<Record<String, JobProgressEvent>> progress,
                        @Channel("job-log") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
                        MutinyEmitter<Record<String, JobLogEvent>> logs) {
        this.progress = progress;
        this.logs = logs;
    }

    /** Publishes progress and waits for the broker: step changes and outcomes must not be lost silently. */
    public void progress(JobProgressEvent event) {
        progress.send(Record.of(event.jobId().toString(), event)).await().atMost(ACK_TIMEOUT);
    }

    public void log(JobLogEvent event) {
        logs.sendAndForget(Record.of(event.jobId().toString(), event));
    }
}
