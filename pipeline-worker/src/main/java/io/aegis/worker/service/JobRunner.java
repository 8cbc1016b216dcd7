package io.aegis.worker.service;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.StoreLayout;
import io.aegis.pipelines.Pipelines;
import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.domain.LogRateLimiter;
import io.aegis.worker.messaging.WorkerEvents;
import io.aegis.worker.metrics.WorkerMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs jobs on a bounded number of slots, with heartbeats while each runs, and ends every attempt
 * with exactly one outcome event: succeeded, failed (with a code) or cancelled. The only exception
 * is a worker shutdown: then the attempt is left to the reconciler, which re-queues it.
 *
 * <p>A request is taken only when a slot is free ({@link #offer}); until then its Kafka record
 * stays unacknowledged and the consumer stops fetching, so requests wait on Kafka, not in this
 * process's memory. Taking an attempt writes its claim to the shared store first: a restarted
 * worker, or another replica, that sees the same request again never runs that attempt twice.
 *
 * <p>Progress is handed to {@link WorkerEvents} and never waits for the broker: a Kafka outage
 * delays what job-service hears, not the job. Each attempt's scratch folder has a record beside it
 * ({@link ScratchRecords}), from which a worker starting on the host stops the tools and removes the
 * folders of one that was killed.
 */
@ApplicationScoped
public class JobRunner {

    private final WorkerEvents events;
    private final Pipelines pipelines;
    private final DatabaseRegistry databases;
    private final ToolExecutor tools;
    private final StoreLayout store;
    private final WorkerConfig.Worker config;
    private final String name;
    private final Path scratchRoot;
    private final int batchConcurrency;
    private final ExecutorService slots;
    private final SharedSearches shared;
    private final Semaphore free;
    private final ExecutorService waiting = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("slot-wait").daemon().factory());
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("heartbeat").daemon().factory());
    private final Map<UUID, JobRun> runs = new ConcurrentHashMap<>();
    private final EarlyCancels earlyCancels = new EarlyCancels(10_000);
    private final AttemptClaims claims;
    private final WorkerMetrics metrics;
    private final Tracer tracer;

    public JobRunner(WorkerEvents events, Pipelines pipelines, DatabaseRegistry databases, ToolExecutor tools,
                     WorkerConfig config, WorkerMetrics metrics, Tracer tracer) {
        this.events = events;
        this.tracer = tracer;
        this.metrics = metrics;
        this.pipelines = pipelines;
        this.databases = databases;
        this.tools = tools;
        this.store = new StoreLayout(config.store().root());
        this.claims = new AttemptClaims(store);
        this.config = config.worker();
        this.name = this.config.name().orElseGet(JobRunner::hostName);
        this.scratchRoot = this.config.scratchDir().orElse(store.root().resolve("scratch")).toAbsolutePath();
        this.batchConcurrency = Math.max(1, this.config.batchConcurrency().orElse(Runtime.getRuntime().availableProcessors()));
        this.slots = Executors.newFixedThreadPool(Math.max(1, this.config.slots()),
                Thread.ofPlatform().name("job-slot-", 1).factory());
        this.free = new Semaphore(Math.max(1, this.config.slots()));
        this.shared = new SharedSearches(searchesAtOnce(this.config.executor(), this.config.slots(), batchConcurrency),
                this.config.batchResidues(), tools, scratchRoot);
    }

    /**
     * Batches this replica searches at once, whichever jobs they belong to: local tools share the
     * machine's cores, {@code batch-concurrency} of them; Kubernetes Jobs run on the cluster, each job's
     * {@code batch-concurrency} at once as before.
     */
    static int searchesAtOnce(WorkerConfig.ExecutorKind executor, int slots, int batchConcurrency) {
        return executor == WorkerConfig.ExecutorKind.KUBERNETES ? Math.max(1, slots) * batchConcurrency : batchConcurrency;
    }

    /**
     * Takes the job as soon as a slot is free; the returned stage completes then (or at once for a
     * request that will not run), and only then may its Kafka record be acknowledged. The attempt is
     * traced under {@code trace}, the context its request was consumed in.
     */
    public CompletionStage<Void> offer(JobRequestedEvent job, Context trace) {
        if (superseded(job)) {
            return CompletableFuture.completedFuture(null);
        }
        JobRun older = runs.get(job.jobId());
        if (older != null) {
            // the older attempt must not hold a slot the newer one waits for
            Log.infof("Job %s attempt %d supersedes attempt %d here", job.jobId(), job.attempt(), older.attempt);
            older.cancel();
        }
        return CompletableFuture.runAsync(() -> {
            free.acquireUninterruptibly();
            boolean taken = false;
            try {
                taken = accept(job, trace);
            } finally {
                if (!taken) {
                    free.release();
                }
            }
        }, waiting);
    }

    /**
     * Starts a job on a free slot. From this moment the job is this replica's: a heartbeat says so
     * at once and then regularly, so job-service can tell a held job from a lost one. False when
     * the attempt was already taken (here, before a restart, or by another replica), a newer
     * attempt runs here, or it was cancelled before it arrived.
     */
    private boolean accept(JobRequestedEvent job, Context trace) {
        if (superseded(job)) {
            return false;
        }
        if (earlyCancels.cancelled(job.jobId(), job.attempt())) {
            Log.infof("Job %s attempt %d was cancelled before it arrived; not running it", job.jobId(), job.attempt());
            return false;
        }
        if (!claims.claim(job.jobId(), job.attempt(), name)) {
            Log.infof("Job %s attempt %d was already taken; ignoring the repeated request", job.jobId(), job.attempt());
            return false;
        }
        JobRun run = new JobRun(job.jobId(), job.attempt());
        JobReporter report = new JobReporter(events, job.jobId(), job.attempt(), job.sequenceCount(), name,
                store.results(job.jobId()).resolve("run.log"),
                new LogRateLimiter(config.logLinesPerSecond(), Duration.ofSeconds(1)), JobTrace.begin(tracer, trace, job));
        run.attach(report);
        runs.put(job.jobId(), run);
        metrics.attemptStarted(job);
        beat(report);
        long every = config.heartbeatInterval().toMillis();
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> beat(report), every, every, TimeUnit.MILLISECONDS);
        slots.submit(() -> execute(job, run, report, beat));
        return true;
    }

    /** The same or a newer attempt of the job already runs here. */
    private boolean superseded(JobRequestedEvent job) {
        JobRun current = runs.get(job.jobId());
        if (current != null && current.attempt >= job.attempt()) {
            Log.infof("Job %s attempt %d is not newer than attempt %d running here; ignoring it", job.jobId(),
                    job.attempt(), current.attempt);
            return true;
        }
        return false;
    }

    /** Cancels the job if it runs or waits here, else remembers the cancel in case its request is still on its way. */
    public void cancel(UUID jobId, int attempt) {
        JobRun run = runs.get(jobId);
        if (run != null && (attempt <= 0 || attempt == run.attempt)) {
            Log.infof("Cancelling job %s attempt %d", jobId, run.attempt);
            run.cancel();
        } else if (run == null) {
            earlyCancels.remember(jobId, attempt);
        }
    }

    private void execute(JobRequestedEvent job, JobRun run, JobReporter report, ScheduledFuture<?> beat) {
        Path scratch = scratchRoot.resolve(job.jobId() + "-" + job.attempt());
        try (report) {
            try {
                run.checkNotInterrupted();
                // the record first, so the folder never exists without one
                ScratchRecords.claim(scratch);
                new BatchedSearch(job, run, report, pipelines, databases, tools, shared, store, scratch,
                        new BatchedSearch.Settings(config.batchResidues(), batchConcurrency, config.stepTimeout(),
                                Instant.now().plus(config.jobTimeout()), config.maxHits(),
                                config.archiveMinSearchSpace())).execute();
                beat.cancel(false);
                report.succeeded("Done");
            } catch (Exception e) {
                beat.cancel(false);
                if (run.isStopped()) {
                    Log.warnf("Job %s attempt %d stopped with the worker; it will run again", job.jobId(), job.attempt());
                } else if (run.isCancelled()) {
                    report.cancelled();
                } else if (e instanceof StepFailure failure) {
                    report.failed(failure.getMessage(), failure.code());
                } else {
                    Log.errorf(e, "Job %s failed", job.jobId());
                    report.failed("Internal worker error: " + e, "WORKER_ERROR");
                }
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Job %s attempt %d could not report its outcome", job.jobId(), job.attempt());
        } finally {
            beat.cancel(false);
            runs.remove(job.jobId(), run);
            metrics.attemptEnded(job);
            free.release();
            try {
                FileTrees.delete(scratch);
                ScratchRecords.release(scratch);
            } catch (IOException | RuntimeException e) {
                Log.warnf("Scratch %s was not removed: %s", scratch, e.getMessage());
            }
        }
    }

    /**
     * Cleans up after an earlier worker on this host that was killed outright: its tools still
     * running are stopped and its scratch folders removed. A worker still running (this one, another
     * on the host, or one on another host sharing the folder) keeps its own.
     */
    void onStart(@Observes StartupEvent start) {
        int removed = ScratchRecords.reap(scratchRoot);
        if (removed > 0) {
            Log.infof("Removed %d scratch folder(s) of workers that stopped without cleaning up", removed);
        }
    }

    private static void beat(JobReporter report) {
        try {
            report.heartbeat();
        } catch (RuntimeException e) {
            Log.warnf("Heartbeat not sent: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        runs.values().forEach(JobRun::stop);
        waiting.shutdownNow();
        slots.shutdownNow();
        shared.close();
        heartbeats.shutdownNow();
    }

    public String name() {
        return name;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
