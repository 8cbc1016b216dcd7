package io.aegis.artifact.messaging;

import io.aegis.artifact.service.Finalizer;
import io.aegis.events.JobDeletedEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Removes the files and artifacts of jobs that retention deleted. */
@ApplicationScoped
public class JobDeletedConsumer {

    private final Finalizer finalizer;

    public JobDeletedConsumer(Finalizer finalizer) {
        this.finalizer = finalizer;
    }

    @Incoming("job-deleted")
    public Uni<Void> onDeleted(JobDeletedEvent deleted) {
        if (deleted == null || deleted.jobId() == null) {
            Log.warn("Skipping an unreadable deletion record");
            return Uni.createFrom().voidItem();
        }
        return finalizer.remove(deleted.jobId())
                .onFailure().invoke(f -> Log.errorf(f, "Removing deleted job %s failed", deleted.jobId()))
                .onFailure().recoverWithNull();
    }
}
