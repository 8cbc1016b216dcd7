package io.aegis.job.messaging;

import io.aegis.events.JobProgressEvent;
import io.aegis.job.service.JobService;
import io.aegis.web.DependencyOutage;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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
        return jobs.applyProgress(event)
                .onFailure(ProgressConsumer::databaseAway)
                .invoke(failure -> Log.warnf("Progress %d of job %s waits for the database: %s", event.seq(),
                        event.jobId(), DependencyOutage.summary(DependencyOutage.shownBy(failure).orElse(failure))))
                .onFailure(ProgressConsumer::databaseAway)
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5)
                .onFailure().invoke(failure -> Log.errorf(failure,
                        "Could not apply progress %d of job %s; it goes to the dead letters", event.seq(), event.jobId()));
    }

    private static boolean databaseAway(Throwable failure) {
        return DependencyOutage.shownBy(failure).isPresent();
    }
}
