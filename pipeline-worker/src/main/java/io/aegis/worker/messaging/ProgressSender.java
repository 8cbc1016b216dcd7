package io.aegis.worker.messaging;

import io.aegis.events.JobProgressEvent;
import io.aegis.worker.domain.ProgressQueue;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.opentelemetry.context.Context;
import java.util.function.BiFunction;

/**
 * Sends progress events without ever holding up the job that reports them: each attempt has a
 * queue of its own ({@link ProgressQueue}), sent one event at a time, in order, and tried again with
 * a growing delay while Kafka cannot be reached. A broker outage of minutes therefore delays what
 * job-service hears, but fails no job: the tools go on, and the attempt's step changes and outcome
 * follow once the broker is back. Attempts do not wait for each other.
 */
final class ProgressSender {

    private record Attempt(UUID jobId, int attempt) {
    }

    private static final class Lane {
        final ProgressQueue queue = new ProgressQueue();
        /** The attempt's trace context, which its events are sent in. */
        volatile Context trace = Context.root();
        /** An event is in flight or a retry is scheduled: nobody else may send. */
        boolean busy;
    }

    private final BiFunction<JobProgressEvent, Context, CompletionStage<Void>> send;
    private final ScheduledExecutorService retries;
    private final Map<Attempt, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong failedSends = new AtomicLong();

    ProgressSender(BiFunction<JobProgressEvent, Context, CompletionStage<Void>> send, ScheduledExecutorService retries) {
        this.send = send;
        this.retries = retries;
    }

    /** Queues the event behind its attempt's earlier ones and sends what can be sent now, in {@code trace}. */
    void offer(JobProgressEvent event, Context trace) {
        Attempt key = new Attempt(event.jobId(), event.attempt());
        // compute: adding and removing an idle lane never interleave, so an attempt has one lane at a time
        Lane lane = lanes.compute(key, (k, existing) -> {
            Lane l = existing == null ? new Lane() : existing;
            synchronized (l) {
                l.queue.add(event);
                l.trace = trace;
            }
            return l;
        });
        pump(key, lane);
    }

    private void pump(Attempt key, Lane lane) {
        JobProgressEvent next;
        synchronized (lane) {
            if (lane.busy) {
                return;
            }
            next = lane.queue.next();
            lane.busy = next != null;
        }
        if (next == null) {
            // the map's lock first, then the lane's, as in offer
            lanes.computeIfPresent(key, (k, l) -> {
                synchronized (l) {
                    return l == lane && l.queue.isEmpty() && !l.busy ? null : l;
                }
            });
            return;
        }
        CompletionStage<Void> sent;
        try {
            sent = send.apply(next, lane.trace);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, failure) -> {
            if (failure == null) {
                synchronized (lane) {
                    lane.queue.delivered();
                    lane.busy = false;
                }
                pump(key, lane);
            } else {
                failed(key, lane, failure);
            }
        });
    }

    private void failed(Attempt key, Lane lane, Throwable failure) {
        failedSends.incrementAndGet();
        boolean again;
        Duration delay;
        int waiting;
        synchronized (lane) {
            again = lane.queue.failed();
            delay = lane.queue.backoff();
            waiting = lane.queue.size();
            if (!again) {
                lane.busy = false;
            }
        }
        if (!again) {
            Log.warnf("Progress of cancelled job %s attempt %d not delivered (%s); given up", key.jobId(),
                    key.attempt(), failure.toString());
            pump(key, lane);
            return;
        }
        Log.warnf("Progress of job %s attempt %d not delivered (%s); %d event(s) waiting, trying again in %d ms",
                key.jobId(), key.attempt(), failure.toString(), waiting, delay.toMillis());
        try {
            retries.schedule(() -> {
                synchronized (lane) {
                    lane.busy = false;
                }
                pump(key, lane);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopped) {
            // the worker is shutting down: what was not delivered is for the reconciler to sort out
            Log.debugf("Progress of job %s attempt %d dropped at shutdown", key.jobId(), key.attempt());
        }
    }

    /** Events not yet delivered, over every attempt. */
    int waiting() {
        return lanes.values().stream().mapToInt(lane -> {
            synchronized (lane) {
                return lane.queue.size();
            }
        }).sum();
    }

    /** Sends that failed since start, each tried again unless its attempt was cancelled. */
    long failedSends() {
        return failedSends.get();
    }

    /** Waits, at most {@code timeout}, until every queued event was delivered or given up. */
    boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lanes.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }
}
