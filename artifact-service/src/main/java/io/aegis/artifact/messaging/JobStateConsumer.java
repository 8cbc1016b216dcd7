package io.aegis.artifact.messaging;

import io.aegis.artifact.service.Finalizer;
import io.aegis.events.JobStateEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Starts the finalization of a job's artifacts when its state becomes terminal (a duplicate changes
 * nothing). A state whose finalization still fails after a few tries goes to the dead-letter topic
 * ({@code aegis.dead-letter}, with the error in its headers; the channel's failure strategy), as does
 * a record that cannot be read, and the consumer goes on.
 */
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
        // the sentinel is all this writes: worth a few tries through a database hiccup before it goes to the dead letters
        return finalizer.finalizeJob(state)
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).atMost(5)
                .onFailure().invoke(f -> Log.errorf(f, "Finalizing job %s failed; its state goes to the dead letters",
                        state.jobId()));
    }
}
