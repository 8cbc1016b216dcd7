package io.aegis.artifact.service;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.events.JobStateEvent;
import io.aegis.events.StoreLayout;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Starts a finished job's finalization once: the first terminal event inserts its sentinel and
 * wakes the scheduler, a duplicate finds the sentinel and does nothing. The build itself runs in
 * the background ({@link ArtifactScheduler}, {@link ArtifactBuilder}), retried until it settles.
 */
@ApplicationScoped
public class Finalizer {

    private final StoreLayout store;
    private final FinalizationRepository finalizations;
    private final ArtifactScheduler scheduler;
    private final Vertx vertx;

    public Finalizer(StoreConfig config, FinalizationRepository finalizations, ArtifactScheduler scheduler, Vertx vertx) {
        this.store = new StoreLayout(config.root());
        this.finalizations = finalizations;
        this.scheduler = scheduler;
        this.vertx = vertx;
    }

    public Uni<Void> finalizeJob(JobStateEvent job) {
        return finalizations.insert(job).invoke(inserted -> {
            if (inserted) {
                Log.infof("Job %s is %s: its artifacts will be built", job.jobId(), job.status());
                scheduler.poll();
            } else {
                Log.debugf("Job %s is already being finalized", job.jobId());
            }
        }).replaceWithVoid();
    }

    /**
     * Removes a deleted job's finalization, hit rows, artifact rows and its whole folder in the
     * store; doing it twice is harmless.
     */
    public Uni<Void> remove(UUID jobId) {
        return finalizations.delete(jobId)
                .chain(() -> Panache.withTransaction(() -> Artifact.delete("jobId", jobId)))
                .chain(() -> vertx.fileSystem().deleteRecursive(store.jobDir(jobId).toString(), true)
                        .onFailure(io.vertx.core.file.FileSystemException.class).recoverWithNull())
                .invoke(() -> Log.infof("Removed the files and artifacts of deleted job %s", jobId))
                .replaceWithVoid();
    }
}
