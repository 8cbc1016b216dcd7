package io.aegis.artifact.service;

import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.events.JobStateEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts a finished job's finalization once: the first terminal event inserts its sentinel and
 * wakes the scheduler, a duplicate finds the sentinel and does nothing. The build itself runs in
 * the background ({@link ArtifactScheduler}, {@link ArtifactBuilder}), retried until it settles.
 */
@ApplicationScoped
public class Finalizer {

    private final FinalizationRepository finalizations;
    private final ArtifactScheduler scheduler;

    public Finalizer(FinalizationRepository finalizations, ArtifactScheduler scheduler) {
        this.finalizations = finalizations;
        this.scheduler = scheduler;
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
}
