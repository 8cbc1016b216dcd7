package io.aegis.job.service;

import io.aegis.job.config.JobConfig;
import io.aegis.job.domain.Finalization;
import io.aegis.job.domain.Job;
import io.aegis.job.metrics.JobMetrics;
import io.aegis.job.outbox.Outbox;
import io.aegis.job.outbox.OutboxRelay;
import io.aegis.job.repository.FinalizationRecords;
import io.aegis.job.repository.FinalizationRecords.Unsettled;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Finds finished jobs whose artifacts were never made and announces their terminal state again.
 * artifact-service finalizes a job when its terminal state arrives on {@code aegis.job.state}, and
 * announces the manifest last; job-service records that manifest's ready or failed for the job's
 * current attempt ({@code ArtifactStateConsumer}). A job with no such record {@code grace} after its
 * end had its state record lost, dead-lettered, or never processed: nobody would notice that its
 * artifacts are missing. The sweep writes the job's state, as it is, to the outbox again
 * ({@link Outbox#state}, the one way job-service announces a state), and artifact-service finalizes
 * it (a state it already finalized changes nothing there).
 *
 * <p>Bounded: a job is announced again at most once per grace period and {@code max-reannounces}
 * times per end, then given up (logged and counted, {@code aegis_jobs_swept_total}); only jobs that
 * ended within {@code look-back} are looked at, at most {@code batch-size} per run. Replicas share the
 * work: a run claims its jobs with {@code FOR UPDATE SKIP LOCKED} and marks them in the transaction
 * that writes their announcements, so another replica's run neither waits for them nor takes them.
 */
@ApplicationScoped
public class FinalizationSweeper {

    /** What one run did. */
    public record Run(int reannounced, int givenUp) {
    }

    private final FinalizationRecords records;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final JobMetrics metrics;
    private final JobConfig.FinalizationSweep config;

    public FinalizationSweeper(FinalizationRecords records, Outbox outbox, OutboxRelay relay, JobMetrics metrics,
                               JobConfig config) {
        this.records = records;
        this.outbox = outbox;
        this.relay = relay;
        this.metrics = metrics;
        this.config = config.finalizationSweep();
    }

    @Scheduled(every = "${aegis.finalization-sweep.interval}", delayed = "${aegis.finalization-sweep.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws Throwable {
        Run run = sweep(JobService.now());
        if (run.reannounced() + run.givenUp() > 0) {
            Log.infof("Finalization sweep: %d finished jobs announced again, %d given up", run.reannounced(),
                    run.givenUp());
        }
    }

    /** One run, as of {@code now}; blocks (call it off the event loop). */
    public Run sweep(Instant now) throws Throwable {
        Instant graceBefore = now.minus(config.grace());
        Instant since = now.minus(config.lookBack());
        List<Unsettled> claimed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> records.claim(now, graceBefore, since, config.maxReannounces(), config.batchSize())
                        .call(this::announce)));
        relay.wake();
        int reannounced = 0;
        int givenUp = 0;
        for (Unsettled job : claimed) {
            if (Finalization.next(job.reannounced(), config.maxReannounces()) == Finalization.Step.REANNOUNCE) {
                reannounced++;
                metrics.swept(job.pipeline(), JobMetrics.REANNOUNCED);
            } else {
                givenUp++;
                metrics.swept(job.pipeline(), JobMetrics.GIVEN_UP);
                Log.errorf("Job %s: its artifacts were never made; its terminal state was announced again %d times "
                        + "without an answer from artifact-service, and the sweep gives up (retry the job, or look for "
                        + "its state in aegis.dead-letter and artifact-service's log)", job.id(), job.reannounced());
            }
        }
        return new Run(reannounced, givenUp);
    }

    /** Writes the terminal state of each claimed job due for another announcement to the outbox, in the claim's transaction. */
    private Uni<Void> announce(List<Unsettled> claimed) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (Unsettled job : claimed) {
            if (Finalization.next(job.reannounced(), config.maxReannounces()) == Finalization.Step.REANNOUNCE) {
                done = done.chain(() -> Panache.getSession()
                        .chain(session -> session.find(Job.class, job.id()).invoke(found -> session.setReadOnly(found, true)))
                        .chain(outbox::state));
            }
        }
        return done;
    }
}
