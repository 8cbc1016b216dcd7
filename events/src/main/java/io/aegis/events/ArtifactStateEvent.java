package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Readiness of one of a job's artifacts ({@link Topics#ARTIFACT_STATE}).
 *
 * @param attempt the job's attempt whose end the artifact was built for (a retried job ends again,
 *                and its artifacts are built again); null from a producer that does not tell
 * @param href    where a client reads the artifact through the gateway, relative to the gateway's base
 *                address (a file's download, or the hit table's pages); null from a producer that does not tell
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
        Integer attempt,
        String href) {

    public static final int SCHEMA = 1;

    /** An artifact's state from a producer that gives no link. */
    public ArtifactStateEvent(int schema, UUID jobId, String owner, String name, ArtifactState state, long size,
                              String sha256, Instant at, Integer attempt) {
        this(schema, jobId, owner, name, state, size, sha256, at, attempt, null);
    }

    /** An artifact of a job's first (or only) end that does not say which attempt it was built for. */
    public ArtifactStateEvent(int schema, UUID jobId, String owner, String name, ArtifactState state, long size,
                              String sha256, Instant at) {
        this(schema, jobId, owner, name, state, size, sha256, at, null, null);
    }
    /**
     * The artifact artifact-service builds last, once every other artifact of the job is ready: its
     * event (ready, or failed for good) settles the job's finalization, and a job's stream ends on it.
     */
    public static final String MANIFEST = "manifest.json";
}
