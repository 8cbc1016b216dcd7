package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of tool output ({@link Topics#JOB_LOG}), already sanitized by the worker.
 *
 * @param seq    per job and attempt, strictly increasing; shared with {@link JobProgressEvent#seq()}
 * @param source where the line came from, e.g. {@code worker}, {@code blastp}, or {@code pod/container}
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
        Instant at) {

    public static final int SCHEMA = 1;
}
