package io.aegis.worker.service;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StepStatus;
import io.aegis.worker.domain.LogSanitizer;
import io.aegis.worker.messaging.WorkerEvents;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports one attempt of one job: progress and log events share one strictly increasing sequence
 * number, every log line is sanitized first and also written to the job's {@code run.log}.
 */
public final class JobReporter implements AutoCloseable {

    private final WorkerEvents events;
    private final UUID jobId;
    private final int attempt;
    private final String worker;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private final BufferedWriter runLog;
    private volatile int total;
    private volatile String step;

    JobReporter(WorkerEvents events, UUID jobId, int attempt, int total, String worker, Path runLog) {
        this.events = events;
        this.jobId = jobId;
        this.attempt = attempt;
        this.total = total;
        this.worker = worker;
        try {
            Files.createDirectories(runLog.getParent());
            this.runLog = Files.newBufferedWriter(runLog);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + runLog, e);
        }
    }

    public void stepStarted(String key, String message) {
        step = key;
        publish(key, StepStatus.RUNNING, JobStatus.RUNNING, message, null, null, false);
    }

    public void stepCompleted(String key, String message) {
        publish(key, StepStatus.COMPLETED, JobStatus.RUNNING, message, null, null, false);
    }

    public void total(int sequences) {
        total = sequences;
    }

    public void sequencesDone(int sequences, String message) {
        done.addAndGet(sequences);
        publish(step, null, JobStatus.RUNNING, message, null, null, false);
    }

    public void heartbeat() {
        publish(null, null, JobStatus.RUNNING, null, null, null, true);
    }

    public void succeeded(String message) {
        publish(step, StepStatus.COMPLETED, JobStatus.SUCCEEDED, message, null, null, false);
    }

    public void failed(String error, String errorCode) {
        log("worker", LogStream.STDERR, error);
        publish(step, StepStatus.FAILED, JobStatus.FAILED, null, error, errorCode, false);
    }

    public void cancelled() {
        publish(step, StepStatus.FAILED, JobStatus.CANCELLED, "Cancelled", "Cancelled", "CANCELLED", false);
    }

    public void log(String source, LogStream stream, String rawLine) {
        String line = LogSanitizer.sanitize(rawLine);
        synchronized (runLog) {
            try {
                runLog.write(source);
                runLog.write(": ");
                runLog.write(line);
                runLog.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        synchronized (this) {
            events.log(new JobLogEvent(JobLogEvent.SCHEMA, jobId, attempt, seq.incrementAndGet(), step, stream, source,
                    line, Instant.now()));
        }
    }

    /** One at a time, so sequence numbers reach the broker in the order they were given. */
    private synchronized void publish(String key, StepStatus stepStatus, JobStatus status, String message, String error,
                         String errorCode, boolean heartbeat) {
        events.progress(new JobProgressEvent(JobProgressEvent.SCHEMA, jobId, attempt, seq.incrementAndGet(), key,
                stepStatus, done.get(), total, status, message == null ? null : LogSanitizer.sanitize(message),
                error == null ? null : LogSanitizer.sanitize(error), errorCode, heartbeat, worker, Instant.now()));
    }

    @Override
    public void close() {
        synchronized (runLog) {
            try {
                runLog.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
