package io.aegis.job.service;

import io.aegis.job.config.JobConfig;
import io.aegis.job.repository.JobQueries;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Removes finished jobs older than the retention TTL, in batches; each removal emits
 * {@code aegis.job.deleted} in the same transaction, so artifact-service removes the job's files.
 */
@ApplicationScoped
public class RetentionSweeper {

    private final JobService jobs;
    private final JobQueries queries;
    private final JobConfig.Retention config;

    public RetentionSweeper(JobService jobs, JobQueries queries, JobConfig config) {
        this.jobs = jobs;
        this.queries = queries;
        this.config = config.retention();
    }

    @Scheduled(every = "${aegis.retention.interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws Throwable {
        int removed = sweep(JobService.now());
        if (removed > 0) {
            Log.infof("Retention removed %d jobs older than %s", removed, config.ttl());
        }
    }

    /** Removes every finished job created before {@code now - ttl}; blocks (call it off the event loop). */
    public int sweep(Instant now) throws Throwable {
        Instant before = now.minus(config.ttl());
        int removed = 0;
        while (true) {
            List<UUID> batch = VertxContextSupport.subscribeAndAwait(() -> queries.expired(before, config.batchSize()));
            removed += VertxContextSupport.subscribeAndAwait(() -> jobs.delete(batch, "retention"));
            if (batch.size() < config.batchSize()) {
                return removed;
            }
        }
    }
}
