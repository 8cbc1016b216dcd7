package io.aegis.artifact.service;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.ContentTypes;
import io.aegis.artifact.domain.Manifest;
import io.aegis.artifact.messaging.ArtifactEvents;
import io.aegis.events.ArtifactState;
import io.aegis.events.JobStateEvent;
import io.aegis.events.StoreLayout;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds a finished job's artifacts once: a duplicate terminal event finds the manifest ready and
 * does nothing; a failed build is marked failed and built again by the next terminal event. A job
 * that reused an earlier job's results first gets them linked into its own folder.
 */
@ApplicationScoped
public class Finalizer {

    private final StoreLayout store;
    private final ArtifactEvents events;
    private final Vertx vertx;

    public Finalizer(StoreConfig config, ArtifactEvents events, Vertx vertx) {
        this.store = new StoreLayout(config.root());
        this.events = events;
        this.vertx = vertx;
    }

    public Uni<Void> finalizeJob(JobStateEvent job) {
        return Panache.withTransaction(() -> Artifact.<Artifact>findById(new Artifact.Key(job.jobId(), Manifest.NAME))
                        .chain(existing -> {
                            if (existing != null && existing.state == ArtifactState.READY) {
                                return Uni.createFrom().item(false);
                            }
                            Artifact manifest = existing != null ? existing : row(job, Manifest.NAME);
                            manifest.state = ArtifactState.PENDING;
                            manifest.updatedAt = Instant.now();
                            return manifest.persist().replaceWith(true);
                        }))
                .chain(build -> build ? build(job) : skip(job));
    }

    private Uni<Void> skip(JobStateEvent job) {
        Log.debugf("Artifacts of job %s are already built", job.jobId());
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> build(JobStateEvent job) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
                    if (job.reusedFrom() != null) {
                        ReusedResults.link(store.results(job.reusedFrom()), store.results(job.jobId()));
                    }
                    return ManifestWriter.write(store, job.jobId(), job.status());
                }))
                .chain(manifest -> Panache.withTransaction(() -> record(job, manifest)))
                .chain(rows -> Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(events::changed)
                        .collect().last().replaceWithVoid())
                .onFailure().call(failure -> markFailed(job, failure));
    }

    private Uni<List<Artifact>> record(JobStateEvent job, Manifest manifest) {
        List<Artifact> rows = new ArrayList<>();
        for (Manifest.FileEntry file : manifest.files()) {
            Artifact row = row(job, file.name());
            row.size = file.size();
            row.sha256 = file.sha256();
            row.contentType = file.contentType();
            row.location = "results/" + file.name();
            rows.add(row);
        }
        Artifact manifestRow = row(job, Manifest.NAME);
        manifestRow.contentType = ContentTypes.of(Manifest.NAME);
        manifestRow.location = "artifacts/" + Manifest.NAME;
        manifestRow.size = store.artifacts(job.jobId()).resolve(Manifest.NAME).toFile().length();
        rows.add(manifestRow);
        rows.forEach(r -> r.state = ArtifactState.READY);
        return Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(r -> Artifact.getSession()
                        .chain(session -> session.merge(r)))
                .collect().asList();
    }

    private Uni<Void> markFailed(JobStateEvent job, Throwable failure) {
        Log.errorf(failure, "Artifacts of job %s could not be built", job.jobId());
        return Panache.withTransaction(() -> Artifact.<Artifact>findById(new Artifact.Key(job.jobId(), Manifest.NAME))
                        .chain(row -> {
                            Artifact manifest = row != null ? row : row(job, Manifest.NAME);
                            manifest.state = ArtifactState.FAILED;
                            manifest.error = failure.getMessage();
                            manifest.updatedAt = Instant.now();
                            return manifest.persist().replaceWith(manifest);
                        }))
                .chain(events::changed)
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Removes a deleted job's artifact rows and its whole folder in the store; doing it twice is harmless. */
    public Uni<Void> remove(UUID jobId) {
        return Panache.withTransaction(() -> Artifact.delete("jobId", jobId))
                .chain(() -> vertx.fileSystem().deleteRecursive(store.jobDir(jobId).toString(), true)
                        .onFailure(io.vertx.core.file.FileSystemException.class).recoverWithNull())
                .invoke(() -> Log.infof("Removed the files and artifacts of deleted job %s", jobId))
                .replaceWithVoid();
    }

    private static Artifact row(JobStateEvent job, String name) {
        Artifact artifact = new Artifact();
        artifact.jobId = job.jobId();
        artifact.name = name;
        artifact.owner = job.owner();
        artifact.state = ArtifactState.MISSING;
        artifact.location = "artifacts/" + name;
        artifact.updatedAt = Instant.now();
        return artifact;
    }
}
