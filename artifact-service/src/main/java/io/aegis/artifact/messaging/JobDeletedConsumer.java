package io.aegis.artifact.messaging;

import io.aegis.artifact.service.JobRemoval;
import io.aegis.events.JobDeletedEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Removes the files and artifacts of jobs that retention deleted. A deletion that fails, or cannot be
 * read, goes to the dead-letter topic ({@code aegis.dead-letter}, the channel's failure strategy).
 */
@ApplicationScoped
public class JobDeletedConsumer {

    private final JobRemoval removal;

    public JobDeletedConsumer(JobRemoval removal) {
        this.removal = removal;
    }

    @Incoming("job-deleted")
    public Uni<Void> onDeleted(JobDeletedEvent deleted) {
        if (deleted == null || deleted.jobId() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("A deletion record without a job id"));
        }
        return removal.remove(deleted.jobId())
                .onFailure().invoke(f -> Log.errorf(f, "Removing deleted job %s failed; it goes to the dead letters",
                        deleted.jobId()));
    }
}
