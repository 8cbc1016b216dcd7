package io.aegis.job.messaging;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.job.domain.Finalization;
import io.aegis.job.repository.FinalizationRecords;
import io.aegis.web.DependencyOutage;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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
        return records.settled(event.jobId(), attempt.getAsInt())
                .invoke(recorded -> Log.debugf("Job %s attempt %d: finalization settled (%s)%s", event.jobId(),
                        attempt.getAsInt(), event.state().wire(), recorded ? "" : ", nothing to record"))
                .onFailure(ArtifactStateConsumer::databaseAway)
                .invoke(failure -> Log.warnf("The manifest of job %s waits for the database: %s", event.jobId(),
                        DependencyOutage.summary(DependencyOutage.shownBy(failure).orElse(failure))))
                .onFailure(ArtifactStateConsumer::databaseAway)
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5)
                .onFailure().invoke(failure -> Log.errorf(failure,
                        "Could not record the manifest of job %s; it goes to the dead letters", event.jobId()))
                .replaceWithVoid();
    }

    private static boolean databaseAway(Throwable failure) {
        return DependencyOutage.shownBy(failure).isPresent();
    }
}
