package io.aegis.job.service;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobSubmission;
import io.aegis.events.ProblemException;
import io.aegis.events.StoreLayout;
import io.aegis.job.config.StoreConfig;
import io.aegis.job.domain.Job;
import io.aegis.job.domain.JobProgress;
import io.aegis.job.domain.ProgressMerge;
import io.aegis.job.messaging.JobEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.CopyOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Submitting jobs, reading them, and moving them along as workers report progress. */
@ApplicationScoped
public class JobService {

    private final JobEvents events;
    private final StoreLayout store;
    private final Vertx vertx;

    public JobService(JobEvents events, StoreConfig storeConfig, Vertx vertx) {
        this.events = events;
        this.store = new StoreLayout(storeConfig.root());
        this.vertx = vertx;
    }

    /** Stores the input, persists the queued job, then publishes it; a failed persist leaves no input behind. */
    public Uni<Job> submit(String owner, JobSubmission submission) {
        UUID id = UUID.randomUUID();
        Path input = store.input(id);
        Job job = Job.queued(id, owner, submission, Instant.now());
        return writeAtomically(input, submission.fasta())
                .chain(() -> Panache.withTransaction(job::persist))
                .onFailure().call(() -> vertx.fileSystem().deleteRecursive(store.jobDir(id).toString(), true)
                        .onFailure().recoverWithNull())
                .chain(() -> events.requested(job))
                .chain(() -> events.state(job))
                .replaceWith(job);
    }

    public Uni<Job> find(String owner, UUID id) {
        return Panache.withSession(() -> Job.<Job>findById(id))
                .map(job -> {
                    if (job == null || !job.owner.equals(owner)) {
                        throw new ProblemException(404, "JOB_NOT_FOUND", "Job not found", "There is no job " + id + ".");
                    }
                    return job;
                });
    }

    /** Applies one progress event through {@link ProgressMerge}; publishes the new state when it changed. */
    public Uni<Void> applyProgress(JobProgressEvent event) {
        return Panache.withTransaction(() -> Job.<Job>findById(event.jobId())
                        .map(job -> {
                            if (job == null) {
                                Log.debugf("Progress for unknown job %s", event.jobId());
                                return Optional.<Job>empty();
                            }
                            JobProgress before = job.progress();
                            Optional<JobProgress> after = ProgressMerge.apply(before, event);
                            after.ifPresent(progress -> job.apply(progress, Instant.now()));
                            return after.filter(progress -> progress.differsInStateFrom(before)).map(progress -> job);
                        }))
                .chain(changed -> changed.map(events::state).orElse(Uni.createFrom().voidItem()));
    }

    private Uni<Void> writeAtomically(Path target, String content) {
        String temp = target + ".part";
        return vertx.fileSystem().mkdirs(target.getParent().toString())
                .chain(() -> vertx.fileSystem().writeFile(temp, Buffer.buffer(content)))
                .chain(() -> vertx.fileSystem().move(temp, target.toString(),
                        new CopyOptions().setAtomicMove(true).setReplaceExisting(true)));
    }
}
