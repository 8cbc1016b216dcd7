package io.aegis.job.messaging;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.job.domain.Finalization;
import io.aegis.job.repository.FinalizationRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalInt;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records, per job, that artifact-service settled the finalization of its current end: the manifest's
 * ready or failed ({@link Finalization#settledAttempt}). Every other artifact event is dropped before
 * it reaches the database. A job with no such record a while after its end has its terminal state
 * announced again ({@code FinalizationSweeper}).
 *
 * <p>While the database is away a record waits for it, as progress does: dropped, it would have its
 * job announced again for nothing. A record that cannot be applied for any other reason is tried a
 * few times, then goes to the dead-letter topic ({@code aegis.dead-letter}; the channel's failure
 * strategy), as does a record that cannot be read at all.
 */
@ApplicationScoped
public class ArtifactStateConsumer {

    private final FinalizationRecords records;

    public ArtifactStateConsumer(FinalizationRecords records) {
        this.records = records;
    }

    @Incoming("artifact-state")
    public Uni<Void> onArtifact(ArtifactStateEvent event) {
        OptionalInt attempt = Finalization.settledAttempt(event);
        if (attempt.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Redelivery.untilApplied(records.settled(event.jobId(), attempt.getAsInt()), "the manifest of job "
                + event.jobId() + " attempt " + attempt.getAsInt()).replaceWithVoid();
    }
}
