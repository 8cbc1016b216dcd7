package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/** A job removed by retention ({@link Topics#JOB_DELETED}): its files and artifacts go too. */
public record JobDeletedEvent(int schema, UUID jobId, String owner, String reason, Instant at) {

    public static final int SCHEMA = 1;
}
