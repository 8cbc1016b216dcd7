package io.aegis.artifact.service;

import io.aegis.artifact.domain.BuildLease;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.artifact.repository.FinalizationRepository.Hold;
import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds a claimed build while it runs: renews its lease every {@link BuildLease#renewEvery()} (a third of
 * the lease), fenced by the claim's attempt, so a replica that dies stops renewing and its builds are
 * due again one lease later, while a long build on a live replica keeps its build however long it takes.
 * A renewal that finds the build lost to a later attempt, or the job deleted, stops renewing: the build's
 * next write finds the same and stops the attempt ({@link ArtifactRows}). A renewal that fails (the
 * database away for a moment) is tried again at the next tick; two in a row may fail before the lease ends.
 */
@ApplicationScoped
class LeaseKeeper {

    private final FinalizationRepository finalizations;
    private final Vertx vertx;

    public LeaseKeeper(FinalizationRepository finalizations, Vertx vertx) {
        this.finalizations = finalizations;
        this.vertx = vertx;
    }

    /** Starts renewing {@code claim}'s lease of {@code lease}; it goes on until {@link Renewal#stop()}. */
    Renewal keep(Claim claim, BuildLease lease) {
        Renewal renewal = new Renewal();
        renewal.timer = vertx.setPeriodic(lease.renewEvery().toMillis(), id -> renew(claim, lease, renewal));
        return renewal;
    }

    private void renew(Claim claim, BuildLease lease, Renewal renewal) {
        if (!renewal.inFlight.compareAndSet(false, true)) {
            return; // the last renewal has not answered yet: one at a time
        }
        finalizations.renew(claim, lease.length()).subscribe().with(hold -> {
            renewal.inFlight.set(false);
            if (hold == Hold.LOST) {
                Log.warnf("Job %s: attempt %d lost its build lease to a later attempt", claim.jobId(), claim.attempt());
            } else if (hold == Hold.GONE) {
                Log.infof("Job %s was removed while its artifacts were being built", claim.jobId());
            }
            if (hold != Hold.HELD) {
                renewal.stop();
            }
        }, failure -> {
            renewal.inFlight.set(false);
            Log.warnf("Cannot renew the build lease of job %s: %s", claim.jobId(), failure.getMessage());
        });
    }

    /** The renewal of one claim's lease, until stopped. */
    final class Renewal {

        private final AtomicBoolean inFlight = new AtomicBoolean();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile long timer = -1;

        private Renewal() {
        }

        /** No further renewals: the build has settled, or the lease is no longer this attempt's. */
        void stop() {
            if (stopped.compareAndSet(false, true) && timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }

        /** Whether renewing has stopped (the build settled, or it was lost or its job deleted). */
        boolean stopped() {
            return stopped.get();
        }
    }
}
