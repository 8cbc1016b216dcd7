package io.aegis.artifact.service;

import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.messaging.ArtifactEvents;
import io.aegis.events.ArtifactState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes an attempt's artifact rows, always while holding the job's finalization row, and announces
 * every artifact that turns ready or failed. The hold is what keeps a deletion and a build apart: the
 * deletion removes that row first, so a save either commits before it (and the deletion removes its
 * rows too) or finds the row gone and writes nothing ({@link JobRemovedException}).
 */
@ApplicationScoped
class ArtifactRows {

    private final ArtifactEvents events;

    public ArtifactRows(ArtifactEvents events) {
        this.events = events;
    }

    /** Records {@code rows} built: ready, without error, and announced. */
    Uni<Void> ready(BuildAttempt attempt, List<Artifact> rows) {
        for (Artifact row : rows) {
            row.state = ArtifactState.READY;
            row.error = null;
            row.updatedAt = Instant.now();
        }
        return save(attempt, rows).chain(() -> announce(rows));
    }

    /**
     * A part failed this attempt: noted on the attempt, and its artifact keeps its state and shows why
     * until the next attempt. The job's deletion is no part's failure: it goes on up.
     */
    Uni<Void> failed(BuildAttempt attempt, String name, Throwable failure) {
        if (!BuildAttempt.noted(failure)) {
            return Uni.createFrom().failure(failure);
        }
        String error = BuildAttempt.message(failure);
        Log.debugf(failure, "Job %s: %s failed", attempt.jobId(), name);
        attempt.failed(name, name + ": " + error);
        Artifact row = attempt.rows().get(name);
        if (row == null) {
            return Uni.createFrom().voidItem();
        }
        row.error = error;
        row.updatedAt = Instant.now();
        return save(attempt, List.of(row));
    }

    /** Saves {@code rows} in one transaction under the job's sentinel; the attempt sees them as saved. */
    Uni<Void> save(BuildAttempt attempt, List<Artifact> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID jobId = attempt.jobId();
        return Panache.withTransaction(() -> Artifact.getSession()
                        // holds the job's sentinel until the rows are in: a deletion waits, or came first
                        .chain(session -> session.createNativeQuery(
                                        "SELECT 1 FROM artifacts.finalization WHERE job_id = ?1 FOR KEY SHARE")
                                .setParameter(1, jobId).getResultList())
                        .chain(held -> held.isEmpty() ? Uni.createFrom().failure(new JobRemovedException(jobId))
                                : Multi.createFrom().iterable(rows)
                                        .onItem().transformToUniAndConcatenate(row -> Artifact.getSession()
                                                .chain(session -> session.merge(row)))
                                        .collect().asList()))
                .invoke(saved -> saved.forEach(row -> attempt.rows().put(row.name, row)))
                .replaceWithVoid();
    }

    Uni<Void> announce(List<Artifact> rows) {
        return Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(events::changed)
                .collect().last().replaceWithVoid();
    }
}
