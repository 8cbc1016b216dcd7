package io.aegis.worker.messaging;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.worker.metrics.WorkerMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * What a worker publishes about the jobs it runs, keyed by job id so each job's events stay in order.
 *
 * <p>Progress never waits for the broker and is never lost to a broker outage: each attempt's
 * events queue and are retried until delivered ({@link ProgressSender}). Log lines are sent without
 * waiting; while the broker is away at most {@value #LOGS_IN_FLIGHT} wait for it, and lines past
 * that, like lines the producer gives up on, are dropped and counted (the job's {@code run.log} keeps
 * every line, and the job's outcome names the last line handed over), so the log channel's
 * buffer ({@value #LOG_BUFFER}) never overflows: an overflowing emitter fails for good, which would
 * silence every job's log until the worker restarts.
 */
@ApplicationScoped
public class WorkerEvents {

    static final int LOG_BUFFER = 10_000;
    static final int LOGS_IN_FLIGHT = 5_000;
    /** How long a shutdown waits for progress still queued, a finished job's outcome above all. */
    private static final Duration DRAIN_AT_SHUTDOWN = Duration.ofSeconds(5);

    private final MutinyEmitter<Record<String, JobProgressEvent>> progress;
    private final MutinyEmitter<Record<String, JobLogEvent>> logs;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("progress-retry").daemon().factory());
    private final ProgressSender sender;
    private final AtomicInteger logsInFlight = new AtomicInteger();
    private final AtomicLong logsDropped = new AtomicLong();

    private final WorkerMetrics metrics;

    @Inject
    public WorkerEvents(@Channel("job-progress") MutinyEmitter<Record<String, JobProgressEvent>> progress,
                        @Channel("job-log") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = LOG_BUFFER)
                        MutinyEmitter<Record<String, JobLogEvent>> logs, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.progress = progress;
        this.logs = logs;
        this.sender = new ProgressSender((event, trace) -> this.progress.sendMessage(
                Message.of(Record.of(event.jobId().toString(), event), Metadata.of(TracingMetadata.withCurrent(trace))))
                .subscribeAsCompletionStage(), retries);
    }

    /** Events whose steps no one times (the tests'). */
    public WorkerEvents(MutinyEmitter<Record<String, JobProgressEvent>> progress,
                        MutinyEmitter<Record<String, JobLogEvent>> logs) {
        this(progress, logs, null);
    }

    /**
     * Queues progress for the broker and returns at once: step changes and outcomes are delivered,
     * in order, however long the broker is away; stale heartbeats and counts are dropped meanwhile.
     * Each is sent in {@code trace}, its attempt's context, so its consumers' spans join the job's trace.
     */
    public void progress(JobProgressEvent event, Context trace) {
        if (metrics != null) {
            metrics.progress(event);
        }
        sender.offer(event, trace);
    }

    /**
     * Sends a log line without waiting; dropped (and counted) while too many wait for the broker.
     * Whether it was handed to the producer: the job's outcome names the last line that was.
     */
    public boolean log(JobLogEvent event) {
        if (logsInFlight.incrementAndGet() > LOGS_IN_FLIGHT) {
            logsInFlight.decrementAndGet();
            dropped("Kafka is not taking log lines");
            return false;
        }
        try {
            logs.send(Record.of(event.jobId().toString(), event)).subscribe().with(
                    ok -> logsInFlight.decrementAndGet(),
                    failure -> {
                        // the producer gave up on it (its delivery timeout): as lost as a line never sent
                        logsInFlight.decrementAndGet();
                        dropped("Kafka did not take a log line (" + failure.getMessage() + ")");
                    });
            return true;
        } catch (RuntimeException e) {
            logsInFlight.decrementAndGet();
            throw e;
        }
    }

    /** Counts a line that will not reach Kafka, and says so on the first and every {@value #LOGS_IN_FLIGHT}th. */
    private void dropped(String why) {
        if (logsDropped.getAndIncrement() % LOGS_IN_FLIGHT == 0) {
            Log.warnf("%s; %d log lines dropped so far (each job's run.log keeps them all)", why, logsDropped.get());
        }
    }

    /** Progress events not yet delivered, over every attempt. */
    public int progressWaiting() {
        return sender.waiting();
    }

    /** Progress sends that failed since start (each tried again unless its attempt was cancelled). */
    public long progressSendsFailed() {
        return sender.failedSends();
    }

    /** Log lines dropped since start because the broker did not take them: too many waiting, or refused. */
    public long logLinesDropped() {
        return logsDropped.get();
    }

    /** After the job runner has stopped its jobs (observers of lower priority run first). */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent stop) {
        try {
            if (!sender.drain(DRAIN_AT_SHUTDOWN)) {
                Log.warnf("%d progress events not delivered at shutdown; job-service re-queues what they were about",
                        sender.waiting());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void close() {
        retries.shutdownNow();
    }
}
