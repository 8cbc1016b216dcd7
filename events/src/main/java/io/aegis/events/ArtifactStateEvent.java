package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/** Readiness of one of a job's artifacts ({@link Topics#ARTIFACT_STATE}). */
public record ArtifactStateEvent(
        int schema,
        UUID jobId,
        String owner,
        String name,
        ArtifactState state,
        long size,
        String sha256,
        Instant at) {

    public static final int SCHEMA = 1;
    /**
     * The artifact artifact-service builds last, once every other artifact of the job is ready: its
     * event (ready, or failed for good) settles the job's finalization, and a job's stream ends on it.
     */
    public static final String MANIFEST = "manifest.json";
}
