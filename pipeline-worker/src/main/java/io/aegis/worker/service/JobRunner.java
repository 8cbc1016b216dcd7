package io.aegis.worker.service;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.StoreLayout;
import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.messaging.WorkerEvents;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs accepted jobs on a bounded number of slots, each with heartbeats while it runs, and ends
 * every attempt with exactly one outcome event: succeeded, failed (with a code) or cancelled.
 */
@ApplicationScoped
public class JobRunner {

    private final WorkerEvents events;
    private final DatabaseRegistry databases;
    private final ProcessRunner processes;
    private final StoreLayout store;
    private final WorkerConfig.Worker config;
    private final String name;
    private final Path scratchRoot;
    private final ExecutorService slots;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final Map<UUID, JobRun> running = new ConcurrentHashMap<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    public JobRunner(WorkerEvents events, DatabaseRegistry databases, ProcessRunner processes, WorkerConfig config) {
        this.events = events;
        this.databases = databases;
        this.processes = processes;
        this.store = new StoreLayout(config.store().root());
        this.config = config.worker();
        this.name = this.config.name().orElseGet(JobRunner::hostName);
        this.scratchRoot = this.config.scratchDir().orElse(store.root().resolve("scratch"));
        this.slots = Executors.newFixedThreadPool(this.config.slots());
    }

    /** Takes a job for a slot; false when this replica already took that attempt. */
    public boolean accept(JobRequestedEvent job) {
        if (!accepted.add(job.jobId() + "#" + job.attempt())) {
            Log.infof("Job %s attempt %d was already taken here; ignoring the duplicate", job.jobId(), job.attempt());
            return false;
        }
        JobRun run = new JobRun(job.jobId(), job.attempt());
        running.put(job.jobId(), run);
        slots.submit(() -> execute(job, run));
        return true;
    }

    public void cancel(UUID jobId) {
        JobRun run = running.get(jobId);
        if (run != null) {
            Log.infof("Cancelling job %s", jobId);
            run.cancel();
        }
    }

    private void execute(JobRequestedEvent job, JobRun run) {
        Path scratch = scratchRoot.resolve(job.jobId() + "-" + job.attempt());
        try (JobReporter report = new JobReporter(events, job.jobId(), job.attempt(), job.sequenceCount(), name,
                store.results(job.jobId()).resolve("run.log"))) {
            ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> beat(report),
                    config.heartbeatInterval().toMillis(), config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
            try {
                new BlastPipeline(job, run, report, databases, processes, store, scratch, config.batchResidues(),
                        config.batchConcurrency().orElse(Runtime.getRuntime().availableProcessors())).execute();
                beat.cancel(false);
                report.succeeded("Done");
            } catch (JobRun.Cancelled e) {
                beat.cancel(false);
                report.cancelled();
            } catch (StepFailure e) {
                beat.cancel(false);
                report.failed(e.getMessage(), e.code());
            } catch (Exception e) {
                beat.cancel(false);
                if (run.isCancelled()) {
                    report.cancelled();
                } else {
                    Log.errorf(e, "Job %s failed", job.jobId());
                    report.failed("Internal worker error: " + e.getMessage(), "WORKER_ERROR");
                }
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Job %s could not report its outcome", job.jobId());
        } finally {
            running.remove(job.jobId());
            try {
                DatabaseRegistry.deleteTree(scratch);
            } catch (Exception e) {
                Log.warnf("Scratch %s was not removed: %s", scratch, e.getMessage());
            }
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
        running.values().forEach(JobRun::cancel);
        slots.shutdownNow();
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
