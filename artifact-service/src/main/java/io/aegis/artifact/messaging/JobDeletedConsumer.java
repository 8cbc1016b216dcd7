package io.aegis.artifact.messaging;

import io.aegis.artifact.service.JobRemoval;
import io.aegis.events.JobDeletedEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Removes the files and artifacts of jobs that retention deleted. */
@ApplicationScoped
public class JobDeletedConsumer {

    private final JobRemoval removal;

    public JobDeletedConsumer(JobRemoval removal) {
        this.removal = removal;
    }

    @Incoming("job-deleted")
    public Uni<Void> onDeleted(JobDeletedEvent deleted) {
        if (deleted == null || deleted.jobId() == null) {
            Log.warn("Skipping an unreadable deletion record");
            return Uni.createFrom().voidItem();
        }
        return removal.remove(deleted.jobId())
                .onFailure().invoke(f -> Log.errorf(f, "Removing deleted job %s failed", deleted.jobId()))
                .onFailure().recoverWithNull();
    }
}
