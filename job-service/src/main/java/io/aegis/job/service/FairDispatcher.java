package io.aegis.job.service;

import io.aegis.job.config.JobConfig;
import io.aegis.job.domain.JobLifecycle;
import io.aegis.job.repository.JobQueries;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands waiting jobs to the workers when their turn comes: each user has at most
 * {@code aegis.queue.in-flight-per-user} jobs with the workers, and turns go round-robin across
 * users ({@link JobQueries#turns}), so the workers' queue on Kafka holds a few jobs of each user and
 * never one user's whole backlog. Each job is handed out through {@link JobService#change} with
 * {@link JobLifecycle#dispatch}, which writes its request to the outbox.
 *
 * <p>One thread looks whenever a submit or a finished job wakes it ({@link #wake}, in process), and
 * every {@code aegis.queue.dispatch-interval} besides, so jobs another replica left waiting move
 * too. Replicas looking at once may hand a user one job more than the limit for a moment: every
 * job is handed out once, as its row's version sees to.
 */
@ApplicationScoped
public class FairDispatcher {

    private static final int BATCH = 200;

    private final JobService jobs;
    private final JobQueries queries;
    private final JobConfig.Queue config;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean running;
    private volatile Thread thread;

    public FairDispatcher(JobService jobs, JobQueries queries, JobConfig config) {
        this.jobs = jobs;
        this.queries = queries;
        this.config = config.queue();
    }

    void start(@Observes StartupEvent start) {
        running = true;
        thread = Thread.ofPlatform().name("fair-dispatcher").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        Thread dispatcher = thread;
        if (dispatcher != null) {
            LockSupport.unpark(dispatcher);
        }
    }

    /** Looks at the waiting jobs soon: a job was submitted or finished. */
    public void wake() {
        woken.set(true);
        Thread dispatcher = thread;
        if (dispatcher != null) {
            LockSupport.unpark(dispatcher);
        }
    }

    private void run() {
        while (running) {
            if (!woken.getAndSet(false)) {
                LockSupport.parkNanos(config.dispatchInterval().toNanos());
                woken.set(false);
            }
            if (!running) {
                return;
            }
            try {
                dispatch(JobService.now());
            } catch (Throwable e) {
                Log.warnf("Could not hand waiting jobs to the workers: %s", e.toString());
            }
        }
    }

    /** Hands out every job whose turn has come, as of {@code now}; blocks (call it off the event loop). */
    public int dispatch(Instant now) throws Throwable {
        int handedOut = 0;
        List<UUID> turns;
        do {
            turns = VertxContextSupport.subscribeAndAwait(() -> queries.turns(config.inFlightPerUser(), BATCH));
            for (UUID id : turns) {
                Optional<?> changed = VertxContextSupport.subscribeAndAwait(
                        () -> jobs.change(id, state -> JobLifecycle.dispatch(state, now)));
                handedOut += changed.isPresent() ? 1 : 0;
            }
        } while (turns.size() == BATCH);
        return handedOut;
    }
}
