package io.aegis.artifact.messaging;

import io.aegis.artifact.service.Finalizer;
import io.aegis.events.JobStateEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Finalizes a job's artifacts when its state becomes terminal. */
@ApplicationScoped
public class JobStateConsumer {

    private final Finalizer finalizer;

    public JobStateConsumer(Finalizer finalizer) {
        this.finalizer = finalizer;
    }

    @Incoming("job-state")
    public Uni<Void> onState(JobStateEvent state) {
        if (state == null || state.status() == null || !state.status().isTerminal()) {
            return Uni.createFrom().voidItem();
        }
        return finalizer.finalizeJob(state)
                .onFailure().invoke(f -> Log.errorf(f, "Finalizing job %s failed", state.jobId()))
                .onFailure().recoverWithNull();
    }
}
