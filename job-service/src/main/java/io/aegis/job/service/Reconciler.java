package io.aegis.job.service;

import io.aegis.events.Topics;
import io.aegis.job.config.JobConfig;
import io.aegis.job.domain.JobLifecycle;
import io.aegis.job.domain.JobState;
import io.aegis.job.repository.JobQueries;
import io.aegis.web.DependencyOutage;
import io.aegis.web.kafka.KafkaClientSettings;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Makes sure no job is left with nobody working on it. On every run, through the same
 * {@link JobLifecycle} path as every other change:
 * <ul>
 *   <li>a job whose worker fell silent runs again as a new attempt, or fails with {@code WORKER_LOST}
 *       (silent for a whole heartbeat timeout while Kafka and the database answered: heartbeats travel
 *       over Kafka and are recorded in the database, so an outage of either silences every worker
 *       without losing any job);</li>
 *   <li>a cancel no worker confirmed in time ends the job as cancelled;</li>
 *   <li>a queued job no worker took is dispatched again, but only once Kafka shows the workers have
 *       consumed every request so far: a job still waiting its turn in the topic is not lost.</li>
 * </ul>
 */
@ApplicationScoped
public class Reconciler {

    private static final int BATCH = 200;

    /** What one run changed. */
    public record Run(int requeuedOrFailed, int cancelled, int redispatched) {
    }

    private final JobService jobs;
    private final JobQueries queries;
    private final JobConfig.Reconciler config;
    private final Map<String, Object> kafka;
    private volatile Admin admin;
    /** Since when every pass found Kafka answering; from the start, so the first passes judge no silence. */
    private volatile Instant kafkaUpSince = JobService.now();
    /** Since when every pass reached the database; null since a pass found it away. */
    private volatile Instant databaseUpSince = JobService.now();

    public Reconciler(JobService jobs, JobQueries queries, JobConfig config,
                      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.jobs = jobs;
        this.queries = queries;
        this.config = config.reconciler();
        this.kafka = kafka;
    }

    @Scheduled(every = "${aegis.reconciler.interval}", delayed = "${aegis.reconciler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws Throwable {
        Run run = reconcile(JobService.now());
        if (run.requeuedOrFailed() + run.cancelled() + run.redispatched() > 0) {
            Log.infof("Reconciled: %d silent jobs re-queued or failed, %d cancels completed, %d queued jobs re-dispatched",
                    run.requeuedOrFailed(), run.cancelled(), run.redispatched());
        }
    }

    /**
     * One pass, as of {@code now}; blocks (call it off the event loop). A pass that finds the
     * database away fails, and silence counts again only once the database has been back for a
     * heartbeat timeout: the progress that reached Kafka meanwhile is applied first.
     */
    public Run reconcile(Instant now) throws Throwable {
        try {
            Run run = pass(now);
            databaseUpSince = upSince(databaseUpSince, true, now);
            return run;
        } catch (Throwable failure) {
            if (DependencyOutage.shownBy(failure).isPresent()) {
                databaseUpSince = null;
            }
            throw failure;
        }
    }

    private Run pass(Instant now) throws Throwable {
        Instant silentBefore = now.minus(config.heartbeatTimeout());
        kafkaUpSince = upSince(kafkaUpSince, kafkaAnswers(), now);
        int lost = silenceMeansLost(kafkaUpSince, silentBefore) && silenceMeansLost(databaseUpSince, silentBefore)
                ? apply(queries.silent(silentBefore, BATCH),
                        s -> JobLifecycle.workerLost(s, now, silentBefore, config.maxAttempts()))
                : 0;
        Instant cancelBefore = now.minus(config.cancelTimeout());
        int cancelled = apply(queries.unconfirmedCancels(cancelBefore, BATCH),
                s -> JobLifecycle.cancelUnconfirmed(s, now, cancelBefore));
        Instant dispatchedBefore = now.minus(config.dispatchTimeout());
        List<UUID> untaken = VertxContextSupport.subscribeAndAwait(() -> queries.untaken(dispatchedBefore, BATCH));
        int redispatched = untaken.isEmpty() || !requestsAllConsumed() ? 0
                : apply(Uni.createFrom().item(untaken), s -> JobLifecycle.redispatch(s, now, dispatchedBefore));
        return new Run(lost, cancelled, redispatched);
    }

    /**
     * Since when a dependency (Kafka, the database) has answered on every pass: {@code previous} while
     * it still does, {@code now} when it answers again, null while it does not.
     */
    static Instant upSince(Instant previous, boolean answers, Instant now) {
        if (!answers) {
            return null;
        }
        return previous != null ? previous : now;
    }

    /**
     * Heartbeats travel over Kafka and are recorded in the database: a worker is silent for a whole
     * heartbeat timeout only if each answered all that time. While one is away, and until it has been
     * back for a timeout, silence says nothing: the workers' queued heartbeats and progress are still
     * on their way, and a job re-queued then would run twice and use up an attempt.
     */
    static boolean silenceMeansLost(Instant upSince, Instant silentBefore) {
        return upSince != null && !upSince.isAfter(silentBefore);
    }

    /** True when a Kafka broker answers within seconds. */
    boolean kafkaAnswers() {
        try {
            return !admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            Log.debugf("Kafka does not answer: %s", e.toString());
            return false;
        }
    }

    private int apply(Uni<List<UUID>> candidates,
                      Function<JobState, Optional<JobState>> transition)
            throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> candidates.onItem()
                .transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> jobs.change(id, transition)
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf("Could not reconcile job %s: %s", id, failure.getMessage());
                            return Optional.empty();
                        }))
                .filter(Optional::isPresent)
                .collect().with(Collectors.counting())
                .map(Long::intValue));
    }

    /**
     * True when the workers' group has committed, on every partition of the request topic, the
     * topic's end: every request published so far was taken by a worker. False when Kafka cannot say.
     */
    boolean requestsAllConsumed() {
        try {
            Admin kafka = admin();
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(config.workerGroup())
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            List<TopicPartition> partitions = kafka.describeTopics(List.of(Topics.JOB_REQUESTED)).allTopicNames()
                    .get(5, TimeUnit.SECONDS).get(Topics.JOB_REQUESTED).partitions().stream()
                    .map(p -> new TopicPartition(Topics.JOB_REQUESTED, p.partition())).toList();
            var ends = kafka.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(5, TimeUnit.SECONDS);
            return partitions.stream().allMatch(p -> {
                long end = ends.get(p).offset();
                OffsetAndMetadata at = committed.get(p);
                return end == 0 || at != null && at.offset() >= end;
            });
        } catch (Exception e) {
            Log.debugf("Cannot tell whether the workers took every request: %s", e.toString());
            return false;
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(KafkaClientSettings.forClient(kafka, AdminClientConfig.configNames(), Map.of(
                            AdminClientConfig.CLIENT_ID_CONFIG, "job-service-reconciler",
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)));
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
