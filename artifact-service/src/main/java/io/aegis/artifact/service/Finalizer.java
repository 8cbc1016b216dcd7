package io.aegis.artifact.service;

import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.events.JobStateEvent;
import io.aegis.web.tracing.TraceParents;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts a finished job's finalization once per attempt that ended: the first terminal event inserts
 * its sentinel and wakes the scheduler, a duplicate finds the sentinel and does nothing, and the end
 * of a later attempt (a retried job) builds the job's artifacts again. The build itself runs in
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

    /** Makes the job's finalization due, its builds traced under the current span (the consumed state's). */
    public Uni<Void> finalizeJob(JobStateEvent job) {
        return finalizations.insert(job, TraceParents.current()).invoke(inserted -> {
            if (inserted) {
                Log.infof("Job %s is %s (attempt %d): its artifacts will be built", job.jobId(), job.status(),
                        job.attempt());
                scheduler.poll();
            } else {
                Log.debugf("Job %s attempt %d is already being finalized", job.jobId(), job.attempt());
            }
        }).replaceWithVoid();
    }
}
