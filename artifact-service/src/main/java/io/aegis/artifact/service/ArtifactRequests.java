package io.aegis.artifact.service;

import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.artifact.repository.ResultsRepository;
import io.aegis.artifact.repository.ResultsRepository.ArtifactRow;
import io.aegis.events.ArtifactState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Asking for an artifact made only when asked for ({@link ArtifactState#ON_REQUEST}: BLAST's own
 * formats): the first download or build request turns it {@code pending} and makes the job's build due
 * ({@link FinalizationRepository#request}), and this replica's scheduler looks for work at once; the
 * build, with its lease, retries and announcements, is the finalization's as for any artifact
 * ({@link ArtifactBuilder}), so a request outlives a restart and never builds twice.
 */
@ApplicationScoped
public class ArtifactRequests {

    /** How long a client is told to wait before it asks again while an artifact is being made. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final ResultsRepository results;
    private final FinalizationRepository finalizations;
    private final ArtifactScheduler scheduler;

    public ArtifactRequests(ResultsRepository results, FinalizationRepository finalizations, ArtifactScheduler scheduler) {
        this.results = results;
        this.finalizations = finalizations;
        this.scheduler = scheduler;
    }

    /**
     * {@code owner}'s artifact {@code name} of the job, asked for when it is {@code on_request}: answered
     * as it stands after the ask (so {@code pending} then); empty when the owner's job has no such artifact.
     */
    public Uni<Optional<ArtifactRow>> ask(UUID jobId, String name, String owner) {
        return results.artifact(jobId, name, owner).chain(row -> {
            if (row == null) {
                return Uni.createFrom().item(Optional.<ArtifactRow>empty());
            }
            if (row.state() != ArtifactState.ON_REQUEST) {
                return Uni.createFrom().item(Optional.of(row));
            }
            return asked(row, jobId, owner);
        });
    }

    /** Asks for an {@code on_request} row; whoever asked first, it is pending now (or made already, a race lost). */
    Uni<Optional<ArtifactRow>> asked(ArtifactRow row, UUID jobId, String owner) {
        return finalizations.request(jobId, row.name(), owner).chain(asked -> {
            if (asked) {
                scheduler.poll();
                return Uni.createFrom().item(Optional.of(row.in(ArtifactState.PENDING)));
            }
            return results.artifact(jobId, row.name(), owner).map(Optional::ofNullable);
        });
    }
}
