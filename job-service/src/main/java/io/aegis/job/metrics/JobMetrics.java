package io.aegis.job.metrics;

import io.aegis.job.domain.Job;
import io.aegis.job.domain.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The jobs' flow, counted where it happens: submitted ({@code aegis_jobs_submitted_total}), finished
 * by outcome ({@code aegis_jobs_finished_total}, {@code aegis_job_duration_seconds}), attempts
 * replaced ({@code aegis_jobs_requeued_total}), workers lost ({@code aegis_jobs_worker_lost_total}) and
 * finished jobs whose artifacts the sweep had to ask for again ({@code aegis_jobs_swept_total}).
 * Labels are the pipeline and the outcome or reason: a handful of values each, never a job or a user.
 * Each replica counts the changes it committed; Prometheus sums the replicas.
 */
@ApplicationScoped
public class JobMetrics {

    /** Submission to end: seconds for a reused result, hours for a large search. */
    static final Duration[] DURATION_BUCKETS = {
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofHours(24)};

    /** The sweep announced a finished job's terminal state again. */
    public static final String REANNOUNCED = "reannounced";
    /** The sweep stopped asking for a job's artifacts: every re-announcement went unanswered. */
    public static final String GIVEN_UP = "given_up";

    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A job was stored (a reused result also ends at once). */
    public void submitted(Job job) {
        Counter.builder("aegis.jobs.submitted").description("Jobs accepted, by pipeline")
                .tag("pipeline", job.pipeline).register(registry).increment();
        changed(null, job);
    }

    /** The finalization sweep's {@code outcome} ({@link #REANNOUNCED}, {@link #GIVEN_UP}) for a job of {@code pipeline}, committed. */
    public void swept(String pipeline, String outcome) {
        Counter.builder("aegis.jobs.swept")
                .description("Finished jobs whose artifacts were not made: terminal state announced again, or given up")
                .tag("pipeline", pipeline).tag("outcome", outcome).register(registry).increment();
    }

    /** A change of {@code job} from {@code before} was committed. */
    public void changed(JobState before, Job job) {
        for (JobTransitions.Observed observed : JobTransitions.between(before, job.state(), job.createdAt)) {
            switch (observed) {
                case JobTransitions.Finished finished -> {
                    Counter.builder("aegis.jobs.finished").description("Jobs that reached a terminal state")
                            .tag("pipeline", job.pipeline).tag("outcome", finished.outcome())
                            .register(registry).increment();
                    if (finished.duration() != null) {
                        Timer.builder("aegis.job.duration").description("From a job's submission to its end")
                                .tag("pipeline", job.pipeline).tag("outcome", finished.outcome())
                                .serviceLevelObjectives(DURATION_BUCKETS)
                                .register(registry).record(finished.duration());
                    }
                }
                case JobTransitions.Requeued requeued -> Counter.builder("aegis.jobs.requeued")
                        .description("Attempts replaced by a new one: retried, worker lost, not taken")
                        .tag("pipeline", job.pipeline).tag("reason", requeued.reason())
                        .register(registry).increment();
                case JobTransitions.WorkerLost lost -> Counter.builder("aegis.jobs.worker.lost")
                        .description("Running jobs whose worker fell silent").tag("pipeline", job.pipeline)
                        .register(registry).increment();
            }
        }
    }
}
