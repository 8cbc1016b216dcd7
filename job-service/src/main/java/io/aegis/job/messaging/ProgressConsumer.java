package io.aegis.job.messaging;

import io.aegis.events.JobProgressEvent;
import io.aegis.job.service.JobService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Applies the workers' progress to jobs; a record that cannot be applied is logged, never blocks the rest. */
@ApplicationScoped
public class ProgressConsumer {

    private final JobService jobs;

    public ProgressConsumer(JobService jobs) {
        this.jobs = jobs;
    }

    @Incoming("job-progress")
    public Uni<Void> onProgress(JobProgressEvent event) {
        if (event == null || event.jobId() == null) {
            Log.warn("Skipping an unreadable progress record");
            return Uni.createFrom().voidItem();
        }
        return jobs.applyProgress(event)
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5)
                .onFailure().recoverWithItem(failure -> {
                    Log.errorf(failure, "Could not apply progress %d of job %s", event.seq(), event.jobId());
                    return null;
                });
    }
}
