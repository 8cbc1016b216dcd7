package io.aegis.job.messaging;

import io.aegis.events.JobProgressEvent;
import io.aegis.job.service.JobService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies the workers' progress to jobs. While the database is away a record waits for it, however
 * long that takes (the records after it wait in Kafka): dropped, a job's last report would leave it
 * running with nobody on it, and the reconciler would run it again. A record that cannot be applied
 * for any other reason is tried a few times, then goes to the dead-letter topic ({@code aegis.dead-letter},
 * with the error in its headers; the channel's failure strategy) and never blocks the rest; so does a
 * record that cannot be read at all, before it reaches this method.
 */
@ApplicationScoped
public class ProgressConsumer {

    private final JobService jobs;

    public ProgressConsumer(JobService jobs) {
        this.jobs = jobs;
    }

    @Incoming("job-progress")
    public Uni<Void> onProgress(JobProgressEvent event) {
        if (event == null || event.jobId() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("A progress record without a job id"));
        }
        return Redelivery.untilApplied(jobs.applyProgress(event), "progress " + event.seq() + " of job " + event.jobId());
    }
}
