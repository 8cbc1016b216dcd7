package io.aegis.worker.service;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StepStatus;
import io.aegis.pipelines.LogSanitizer;
import io.aegis.worker.domain.LogRateLimiter;
import io.aegis.worker.messaging.WorkerEvents;
import io.quarkus.logging.Log;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reports one attempt of one job. Progress and log events share one strictly increasing sequence
 * number; every line is sanitized first and appended to the job's {@code run.log}, which keeps the
 * whole log. What goes to Kafka is rate-limited: past the limit, lines are replaced by one
 * "N lines suppressed" marker per second, so a tool printing 100,000 lines a second cannot flood
 * the log topic and everyone who follows it.
 */
public final class JobReporter implements AutoCloseable {

    private final WorkerEvents events;
    private final UUID jobId;
    private final int attempt;
    private final String worker;
    private final Path runLogPath;
    private final AtomicInteger done = new AtomicInteger();
    private final LogRateLimiter limiter;
    private long seq;
    /** The seq of the last line published, which the outcome tells (log-stream-service waits for it). */
    private long lastLogSeq;
    private boolean finished;
    private BufferedWriter runLog;
    private volatile int total;
    private volatile String step;
    private final JobTrace trace;

    JobReporter(WorkerEvents events, UUID jobId, int attempt, int total, String worker, Path runLog,
                LogRateLimiter limiter) {
        this(events, jobId, attempt, total, worker, runLog, limiter, JobTrace.none());
    }

    JobReporter(WorkerEvents events, UUID jobId, int attempt, int total, String worker, Path runLog,
                LogRateLimiter limiter, JobTrace trace) {
        this.events = events;
        this.trace = trace;
        this.limiter = limiter;
        this.jobId = jobId;
        this.attempt = attempt;
        this.total = total;
        this.worker = worker;
        this.runLogPath = runLog;
        try {
            Files.createDirectories(runLog.getParent());
            this.runLog = Files.newBufferedWriter(runLog);
        } catch (IOException e) {
            // the events still tell the whole story; a missing run.log must not make the job hang
            Log.warnf("Cannot write %s: %s", runLog, e.getMessage());
        }
    }

    public void stepStarted(String key, String message) {
        step = key;
        trace.stepStarted(key);
        publish(key, StepStatus.RUNNING, JobStatus.RUNNING, message, null, null, false);
    }

    public void stepCompleted(String key, String message) {
        trace.stepEnded(key);
        publish(key, StepStatus.COMPLETED, JobStatus.RUNNING, message, null, null, false);
    }

    public void total(int sequences) {
        total = sequences;
    }

    /** Counts sequences as done without a report of their own: the next event tells them. */
    public void counted(int sequences) {
        done.addAndGet(sequences);
    }

    public void sequencesDone(int sequences, String message) {
        done.addAndGet(sequences);
        publish(step, null, JobStatus.RUNNING, message, null, null, false);
    }

    /** The attempt's spans. */
    JobTrace trace() {
        return trace;
    }

    public void heartbeat() {
        publish(null, null, JobStatus.RUNNING, null, null, null, true);
    }

    public void succeeded(String message) {
        trace.end(JobStatus.SUCCEEDED, null);
        publish(step, StepStatus.COMPLETED, JobStatus.SUCCEEDED, message, null, null, false);
    }

    public void failed(String error, String errorCode) {
        log("worker", LogStream.STDERR, errorCode + ": " + error);
        trace.end(JobStatus.FAILED, errorCode);
        publish(step, StepStatus.FAILED, JobStatus.FAILED, null, error, errorCode, false);
    }

    public void cancelled() {
        log("worker", LogStream.STDOUT, "cancelled");
        trace.end(JobStatus.CANCELLED, null);
        publish(step, StepStatus.FAILED, JobStatus.CANCELLED, "Cancelled", "Cancelled", null, false);
    }

    /** A line of the worker's own, or of a tool that printed it to the worker. */
    public void log(String source, LogStream stream, String rawLine) {
        log(source, stream, rawLine, null);
    }

    /**
     * A line a tool printed: from {@code program}, or, for a line of a Kubernetes pod's log, from
     * its {@code pod/container} with its index there ({@link JobLogEvent#sourceLine()}), by which
     * log-stream-service knows it when it follows the pod too.
     */
    public void log(String program, ToolExecutor.Line line) {
        log(program, line.stream(), line.text(), line.origin());
    }

    private void log(String source, LogStream stream, String rawLine, ToolExecutor.Origin origin) {
        String line = LogSanitizer.sanitize(rawLine);
        String from = origin == null ? source : origin.source();
        Long sourceLine = origin == null ? null : origin.index();
        synchronized (this) {
            writeRunLog(from, stream, line);
            long suppressed = limiter.admit(System.nanoTime());
            if (suppressed != LogRateLimiter.SUPPRESSED) {
                reportSuppressed(suppressed);
                publishLine(from, stream, line, sourceLine);
            }
        }
    }

    private void reportSuppressed(long lines) {
        if (lines > 0) {
            publishLine("worker", LogStream.STDOUT, lines + (lines == 1 ? " line" : " lines")
                    + " suppressed (too many at once); the full log is in results/run.log", null);
        }
    }

    private void publishLine(String source, LogStream stream, String line, Long sourceLine) {
        try {
            if (events.log(new JobLogEvent(JobLogEvent.SCHEMA, jobId, attempt, ++seq, step, stream, source, line,
                    Instant.now(), sourceLine))) {
                lastLogSeq = seq;
            }
        } catch (RuntimeException e) {
            // a lost line is better than a stalled job; run.log still has it
            Log.warnf("Log line of job %s not published: %s", jobId, e.getMessage());
        }
    }

    /**
     * One event at a time, numbered as it is handed over: both channels then carry strictly
     * increasing numbers, in the order the worker saw things happen. The outcome is the last
     * progress event of the attempt, and tells the seq of the last line published before it, so the
     * job's stream can wait for every line before its end; a heartbeat that lost the race to it is dropped.
     */
    private synchronized void publish(String key, StepStatus stepStatus, JobStatus status, String message,
                                      String error, String errorCode, boolean heartbeat) {
        if (finished) {
            return;
        }
        // what was held back is told before the step or job moves on, or at the next heartbeat
        reportSuppressed(limiter.drain());
        flushRunLog();
        finished = status.isTerminal();
        events.progress(new JobProgressEvent(JobProgressEvent.SCHEMA, jobId, attempt, ++seq, key, stepStatus,
                done.get(), total, status, message == null ? null : LogSanitizer.sanitize(message),
                error == null ? null : LogSanitizer.sanitize(error), errorCode, heartbeat, worker, Instant.now(),
                finished ? lastLogSeq : null), trace.context());
    }

    private void writeRunLog(String source, LogStream stream, String line) {
        if (runLog == null) {
            return;
        }
        try {
            runLog.write(source + " " + stream.wire() + ": " + line);
            runLog.newLine();
        } catch (IOException e) {
            Log.warnf("Cannot append to %s, stopping its copy of the log: %s", runLogPath, e.getMessage());
            closeRunLog();
        }
    }

    private void flushRunLog() {
        if (runLog != null) {
            try {
                runLog.flush();
            } catch (IOException e) {
                Log.warnf("Cannot append to %s, stopping its copy of the log: %s", runLogPath, e.getMessage());
                closeRunLog();
            }
        }
    }

    @Override
    public synchronized void close() {
        closeRunLog();
    }

    private void closeRunLog() {
        if (runLog != null) {
            try {
                runLog.close();
            } catch (IOException e) {
                Log.warnf("Cannot close %s: %s", runLogPath, e.getMessage());
            }
            runLog = null;
        }
    }
}
