package io.aegis.artifact.service;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.events.StoreLayout;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.FileSystemException;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Removes a deleted job from this service: its finalization, artifact and hit rows in one
 * transaction, then its whole folder in the store. Doing it twice is harmless; a build that was
 * running when the job was deleted does it again once it stops ({@link JobRemovedException}), so
 * nothing it wrote meanwhile stays behind.
 */
@ApplicationScoped
public class JobRemoval {

    private final StoreLayout store;
    private final FinalizationRepository finalizations;
    private final Vertx vertx;

    public JobRemoval(StoreConfig config, FinalizationRepository finalizations, Vertx vertx) {
        this.store = new StoreLayout(config.root());
        this.finalizations = finalizations;
        this.vertx = vertx;
    }

    /** A failure (the database away for a moment) is tried again for about two minutes before it is given up. */
    public Uni<Void> remove(UUID jobId) {
        return finalizations.delete(jobId)
                .chain(() -> vertx.fileSystem().deleteRecursive(store.jobDir(jobId).toString(), true)
                        .onFailure(FileSystemException.class).recoverWithNull())
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(8)
                .invoke(() -> Log.infof("Removed the files and artifacts of deleted job %s", jobId))
                .replaceWithVoid();
    }
}
