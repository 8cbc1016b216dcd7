package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Readiness of one of a job's artifacts ({@link Topics#ARTIFACT_STATE}).
 *
 * @param attempt the job's attempt whose end the artifact was built for (a retried job ends again,
 *                and its artifacts are built again); null from a producer that does not tell
 */
public record ArtifactStateEvent(
        int schema,
        UUID jobId,
        String owner,
        String name,
        ArtifactState state,
        long size,
        String sha256,
        Instant at,
        Integer attempt) {

    public static final int SCHEMA = 1;

    /** An artifact of a job's first (or only) end that does not say which attempt it was built for. */
    public ArtifactStateEvent(int schema, UUID jobId, String owner, String name, ArtifactState state, long size,
                              String sha256, Instant at) {
        this(schema, jobId, owner, name, state, size, sha256, at, null);
    }
    /**
     * The artifact artifact-service builds last, once every other artifact of the job is ready: its
     * event (ready, or failed for good) settles the job's finalization, and a job's stream ends on it.
     */
    public static final String MANIFEST = "manifest.json";
}
