package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of tool output ({@link Topics#JOB_LOG}), already sanitized by the worker.
 *
 * @param seq        per job and attempt, strictly increasing; shared with {@link JobProgressEvent#seq()}
 * @param source     where the line came from, e.g. {@code worker}, {@code blastp}, or {@code pod/container}
 * @param sourceLine for a line of a Kubernetes pod's log ({@code source} is then {@code pod/container}):
 *                   its index in that container's log, from 0, so the line is known wherever else that
 *                   log is read; null for every other line (and from producers that predate it)
 */
public record JobLogEvent(
        int schema,
        UUID jobId,
        int attempt,
        long seq,
        String step,
        LogStream stream,
        String source,
        String line,
        Instant at,
        Long sourceLine) {

    public static final int SCHEMA = 1;

    /** A line that is not from a pod's log. */
    public JobLogEvent(int schema, UUID jobId, int attempt, long seq, String step, LogStream stream, String source,
                       String line, Instant at) {
        this(schema, jobId, attempt, seq, step, stream, source, line, at, null);
    }
}
