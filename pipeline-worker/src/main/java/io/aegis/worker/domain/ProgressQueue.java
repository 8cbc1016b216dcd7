package io.aegis.worker.domain;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The progress events of one attempt on their way to Kafka, one at a time and in the order they
 * were numbered, so job-service, which ignores a sequence number at or below the last one it
 * applied, never drops an event for arriving late.
 *
 * <p>While Kafka cannot be reached, what is worth telling is kept and what is stale is dropped:
 * step changes and the outcome are kept until delivered, however long that takes; a heartbeat is
 * dropped once any later event waits (every event is a sign of life), and a count of queries done
 * once a later count of the same step waits (it carries the larger number and the newer message).
 * So an attempt never has more than a few events waiting — about two per step — however long the
 * outage. A failed send is tried again after a delay that doubles up to {@link #MAX_BACKOFF}. The
 * one exception to "until delivered" is a cancelled attempt: its outcome is tried once, since
 * job-service ends a cancel nobody confirmed by itself.
 *
 * <p>Not thread-safe: the caller holds one lock per attempt.
 */
public final class ProgressQueue {

    /** The first wait after a failed send. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    /**
     * The longest wait between two tries. Short on purpose: once the broker is back, job-service
     * gives a silent worker one heartbeat timeout (seconds) before it re-queues the job, so the
     * worker must be heard within seconds; and a try against a broker that is away already lasts
     * the producer's delivery timeout, so a short wait makes no busy loop.
     */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final Deque<JobProgressEvent> waiting = new ArrayDeque<>();
    private JobProgressEvent inFlight;
    private int failures;

    /** Queues {@code event} behind the others, dropping those it makes stale. */
    public void add(JobProgressEvent event) {
        Objects.requireNonNull(event, "event");
        waiting.removeIf(older -> supersedes(event, older));
        waiting.addLast(event);
    }

    /**
     * The event to send now, which is then in flight until {@link #delivered()} or
     * {@link #failed()}; null while one is in flight or none waits.
     */
    public JobProgressEvent next() {
        if (inFlight != null || waiting.isEmpty()) {
            return null;
        }
        inFlight = waiting.removeFirst();
        return inFlight;
    }

    /** The event in flight reached the broker. */
    public void delivered() {
        inFlight = null;
        failures = 0;
    }

    /**
     * The event in flight did not reach the broker. It goes back to the head of the queue, unless a
     * waiting event made it stale meanwhile.
     *
     * @return true when the queue is to be tried again after {@link #backoff()}; false when it gives
     *         up (a cancelled attempt) and has dropped everything
     */
    public boolean failed() {
        JobProgressEvent failed = inFlight;
        inFlight = null;
        failures++;
        if (failed != null && waiting.stream().noneMatch(newer -> supersedes(newer, failed))) {
            waiting.addFirst(failed);
        }
        if (cancelled()) {
            waiting.clear();
            return false;
        }
        return true;
    }

    /** How long to wait before the next try: doubling with each failure in a row. */
    public Duration backoff() {
        return backoff(failures);
    }

    static Duration backoff(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 16));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    /** Nothing in flight and nothing waiting. */
    public boolean isEmpty() {
        return inFlight == null && waiting.isEmpty();
    }

    /** Events waiting or in flight. */
    public int size() {
        return waiting.size() + (inFlight == null ? 0 : 1);
    }

    /** Failed sends in a row. */
    public int failures() {
        return failures;
    }

    private boolean cancelled() {
        return waiting.stream().anyMatch(e -> e.status() == JobStatus.CANCELLED);
    }

    /** True when {@code older}, still waiting, tells nothing {@code newer} does not. */
    static boolean supersedes(JobProgressEvent newer, JobProgressEvent older) {
        if (older.heartbeat()) {
            return true;
        }
        return isCount(older) && isCount(newer) && Objects.equals(older.step(), newer.step());
    }

    /** A count of queries done within a step: no step change, no outcome, not a heartbeat. */
    private static boolean isCount(JobProgressEvent event) {
        return !event.heartbeat() && event.stepStatus() == null && !event.status().isTerminal();
    }
}
