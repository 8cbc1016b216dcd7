package io.aegis.artifact.service;

import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.artifact.domain.BuildLease;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs due finalizations: every {@code poll-interval}, and at once when a job has just finished,
 * it claims what is due (replicas share the work through {@code FOR UPDATE SKIP LOCKED}), at most
 * {@link #CONCURRENT_BUILDS} at a time, and holds each claimed build's lease while it runs
 * ({@link LeaseKeeper}). A build whose replica died is taken up again once its lease has run out: within
 * one {@code build-lease} and one {@code poll-interval} of its death ({@link BuildLease#longestTakeover}).
 *
 * <p>A replica that starts again does not take its own earlier builds back at once: claims do not
 * record who holds them, and the only name that outlives a restart is the pod's ({@code aegis.instance}),
 * which a container restarted in its pod keeps but a replaced pod does not, and which outside the chart
 * falls back to one name for every replica, so a starting replica could take a live one's builds. With a
 * lease of seconds a restart (the JVM and Quarkus started, Flyway, the consumer groups joined) takes a
 * good part of the lease anyway.
 */
@ApplicationScoped
public class ArtifactScheduler {

    /** Builds run side by side on one replica (each may load a million hits through JDBC). */
    static final int CONCURRENT_BUILDS = 2;

    private final FinalizationRepository finalizations;
    private final ArtifactBuilder builder;
    private final ArtifactsConfig config;
    private final LeaseKeeper leases;
    private final BuildLease lease;
    private final Vertx vertx;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    private long timer = -1;

    public ArtifactScheduler(FinalizationRepository finalizations, ArtifactBuilder builder, ArtifactsConfig config,
                             LeaseKeeper leases, Vertx vertx) {
        this.finalizations = finalizations;
        this.builder = builder;
        this.config = config;
        this.leases = leases;
        this.lease = new BuildLease(config.buildLease());
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> poll());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Looks for due builds now; a call while a claim is under way makes it look again after. */
    public void poll() {
        if (stopped) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        int free = CONCURRENT_BUILDS - running.get();
        if (free <= 0) {
            claiming.set(false);
            return;
        }
        finalizations.claim(free, lease.length()).subscribe().with(claims -> {
            claims.forEach(this::run);
            claiming.set(false);
            if (again.get()) {
                poll();
            }
        }, failure -> {
            claiming.set(false);
            Log.warnf("Cannot claim due finalizations: %s", failure.getMessage());
        });
    }

    /** One build on a context of its own (its own database session), its lease renewed while it runs. */
    private void run(Claim claim) {
        running.incrementAndGet();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> {
            LeaseKeeper.Renewal renewal = leases.keep(claim, lease);
            builder.build(claim).subscribe().with(
                    done -> finished(renewal),
                    failure -> {
                        Log.errorf(failure, "Building the artifacts of job %s failed", claim.jobId());
                        finished(renewal);
                    });
        });
    }

    private void finished(LeaseKeeper.Renewal renewal) {
        renewal.stop();
        running.decrementAndGet();
        poll();
    }
}
