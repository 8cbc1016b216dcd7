package io.aegis.worker.service;

import io.aegis.events.LogStream;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One attempt of one job on this worker. Its tools register how to stop them; a cancel (the user
 * asked) or a stop (the worker shuts down) runs every registered action.
 */
final class JobRun implements Cancellation {

    /** Thrown where the pipeline notices it was cancelled or stopped between tools. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("Interrupted", null, false, false);
        }
    }

    final UUID jobId;
    final int attempt;
    private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;
    private volatile boolean stopped;
    private volatile JobReporter reporter;

    JobRun(UUID jobId, int attempt) {
        this.jobId = jobId;
        this.attempt = attempt;
    }

    @Override
    public Registration onCancel(Runnable action) {
        actions.add(action);
        if (isInterrupted()) {
            action.run();
        }
        return () -> actions.remove(action);
    }

    /** The reporter of the attempt once it runs, so a cancel shows in its log. */
    void attach(JobReporter reporter) {
        this.reporter = reporter;
    }

    /** The user cancelled the job: it ends CANCELLED. */
    void cancel() {
        cancelled = true;
        JobReporter report = reporter;
        if (report != null) {
            report.log("worker", LogStream.STDOUT, "cancel requested: stopping");
        }
        actions.forEach(Runnable::run);
    }

    /** The worker is going away: the job is not over, another attempt will run it. */
    void stop() {
        stopped = true;
        actions.forEach(Runnable::run);
    }

    boolean isCancelled() {
        return cancelled;
    }

    boolean isStopped() {
        return stopped;
    }

    boolean isInterrupted() {
        return cancelled || stopped;
    }

    void checkNotInterrupted() {
        if (isInterrupted()) {
            throw new Interrupted();
        }
    }
}
