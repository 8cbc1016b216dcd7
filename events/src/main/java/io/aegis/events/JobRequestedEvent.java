package io.aegis.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job to run ({@link Topics#JOB_REQUESTED}).
 *
 * @param inputRef      the query FASTA, relative to the artifact store root (see {@link StoreLayout})
 * @param params        pipeline parameters, already validated (e.g. {@code program}, {@code evalue})
 * @param attempt       1 for the first run; a re-queued job gets the next number
 */
public record JobRequestedEvent(
        int schema,
        UUID jobId,
        String owner,
        String pipeline,
        String database,
        Map<String, Object> params,
        String inputRef,
        int sequenceCount,
        int attempt,
        Instant requestedAt) {

    public static final int SCHEMA = 1;
}
