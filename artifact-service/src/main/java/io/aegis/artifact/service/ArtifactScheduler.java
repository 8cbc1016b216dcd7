package io.aegis.artifact.service;

import io.aegis.artifact.config.ArtifactsConfig;
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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs due finalizations: every {@code poll-interval}, and at once when a job has just finished,
 * it claims what is due (replicas share the work through {@code FOR UPDATE SKIP LOCKED}), at most
 * {@link #CONCURRENT_BUILDS} at a time, and holds each claimed build's lease while it runs. A build
 * whose replica died is taken up again once its lease has run out.
 */
@ApplicationScoped
public class ArtifactScheduler {

    /** Builds run side by side on one replica (each may load a million hits through JDBC). */
    static final int CONCURRENT_BUILDS = 2;

    private final FinalizationRepository finalizations;
    private final ArtifactBuilder builder;
    private final ArtifactsConfig config;
    private final Vertx vertx;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    private long timer = -1;

    public ArtifactScheduler(FinalizationRepository finalizations, ArtifactBuilder builder, ArtifactsConfig config,
                             Vertx vertx) {
        this.finalizations = finalizations;
        this.builder = builder;
        this.config = config;
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
        finalizations.claim(free, config.buildLease()).subscribe().with(claims -> {
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
            Duration lease = config.buildLease();
            long renewal = vertx.setPeriodic(Math.max(1000, lease.toMillis() / 3), id -> finalizations
                    .renew(claim.jobId(), lease).subscribe().with(
                            held -> {
                                if (!held) {
                                    Log.infof("Job %s was removed while its artifacts were being built", claim.jobId());
                                }
                            },
                            failure -> Log.warnf("Cannot renew the build lease of job %s: %s", claim.jobId(),
                                    failure.getMessage())));
            builder.build(claim).subscribe().with(
                    done -> finished(renewal),
                    failure -> {
                        Log.errorf(failure, "Building the artifacts of job %s failed", claim.jobId());
                        finished(renewal);
                    });
        });
    }

    private void finished(long renewal) {
        vertx.cancelTimer(renewal);
        running.decrementAndGet();
        poll();
    }
}
