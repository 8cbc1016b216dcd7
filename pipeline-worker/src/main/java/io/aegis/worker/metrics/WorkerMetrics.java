package io.aegis.worker.metrics;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.worker.service.ToolExecutor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this worker does, for Prometheus: the attempts it runs ({@code aegis_worker_attempts_running}),
 * how long each step of a pipeline takes ({@code aegis_worker_step_duration_seconds}), and the CPU
 * time of the tools it runs as local processes ({@code aegis_worker_tool_cpu_seconds_total}, BLAST's
 * above all). Labels are the pipeline, the step, the outcome and the program: a few values each.
 *
 * <p>It is told when an attempt starts and ends (the runner) and sees every progress event on its
 * way out ({@code WorkerEvents}), from which {@link StepClock} times the steps.
 */
@ApplicationScoped
public class WorkerMetrics {

    /** Steps take from milliseconds (validate) to hours (a large search). */
    static final Duration[] STEP_BUCKETS = {
            Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3),
            Duration.ofHours(12)};

    private record Attempt(UUID jobId, int attempt) {
    }

    private record Running(String pipeline, StepClock clock) {
    }

    private final MeterRegistry registry;
    private final Map<Attempt, Running> running = new ConcurrentHashMap<>();
    private final Set<String> pipelines = ConcurrentHashMap.newKeySet();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The runner took an attempt: it runs here until {@link #attemptEnded}. */
    public void attemptStarted(JobRequestedEvent job) {
        running.put(new Attempt(job.jobId(), job.attempt()), new Running(job.pipeline(), new StepClock()));
        if (pipelines.add(job.pipeline())) {
            Gauge.builder("aegis.worker.attempts.running", running,
                            attempts -> attempts.values().stream().filter(r -> r.pipeline().equals(job.pipeline())).count())
                    .tag("pipeline", job.pipeline()).description("Job attempts running on this worker")
                    .register(registry);
        }
    }

    /** The attempt is over here, whatever its outcome. */
    public void attemptEnded(JobRequestedEvent job) {
        running.remove(new Attempt(job.jobId(), job.attempt()));
    }

    /** A progress event of an attempt running here is on its way to job-service. */
    public void progress(JobProgressEvent event) {
        Running attempt = running.get(new Attempt(event.jobId(), event.attempt()));
        if (attempt == null) {
            return;
        }
        for (StepClock.Ended ended : attempt.clock().on(event)) {
            Timer.builder("aegis.worker.step.duration").description("How long a pipeline's step ran on a worker")
                    .tag("pipeline", attempt.pipeline()).tag("step", ended.step()).tag("outcome", ended.outcome())
                    .serviceLevelObjectives(STEP_BUCKETS).register(registry).record(ended.duration());
        }
    }

    /** A local tool process of {@code task} used {@code cpu} of CPU time (user and system). */
    public void toolCpu(ToolExecutor.Task task, Duration cpu) {
        Counter.builder("aegis.worker.tool.cpu").baseUnit("seconds")
                .description("CPU time (user and system) of the tools run as local processes")
                .tag("program", task.program().substring(task.program().lastIndexOf('/') + 1))
                .tag("step", task.step()).register(registry).increment(cpu.toNanos() / 1e9);
    }
}
