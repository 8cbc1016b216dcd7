package io.aegis.worker.messaging;

import io.aegis.events.JobControlEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.worker.service.JobRunner;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes requested jobs (one consumer group shared by all workers) and cancel requests (a group per
 * replica, so every replica sees every cancel). A request is acknowledged when the job takes a
 * slot, never held for the job's duration; while every slot is busy the next request waits and
 * the consumer stops fetching (the connector pauses when nothing more is requested).
 */
@ApplicationScoped
public class JobRequestConsumer {

    private final JobRunner runner;

    public JobRequestConsumer(JobRunner runner) {
        this.runner = runner;
    }

    @Incoming("job-requested")
    public CompletionStage<Void> onRequested(JobRequestedEvent job) {
        if (job == null || job.jobId() == null) {
            Log.warn("Skipping an unreadable job request");
            return CompletableFuture.completedFuture(null);
        }
        // the consumed record's span is current here: the attempt's spans go under it
        return runner.offer(job, Context.current());
    }

    @Incoming("job-control")
    public void onControl(JobControlEvent control) {
        if (control != null && control.jobId() != null && control.action() == JobControlEvent.Action.CANCEL) {
            runner.cancel(control.jobId(), control.attempt());
        }
    }
}
