package io.aegis.logstream.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.EventJson;
import java.time.Duration;

/**
 * When a job's stream ends. The terminal event goes out as soon as the job ends (a progress bar is
 * done at once), but artifact-service finalizes the job's artifacts afterwards and announces each;
 * the stream stays open for them until the job's finalization has settled, told by the artifact
 * event of its {@link #MANIFEST}, which artifact-service builds last, once every other artifact is
 * ready, and which fails for good only with them. So that a stream always ends, it waits for that
 * at most {@code artifact-wait} after the job's end; then it ends with what it has. The last event
 * is {@link #END}, which says which of the two it was.
 */
public final class StreamEnd {

    /** The last event of every stream that ended with its job (not one closed after {@code max-duration}). */
    public static final String END = "end";
    /** artifact-service's manifest: its artifact settles last. */
    public static final String MANIFEST = ArtifactStateEvent.MANIFEST;

    /** Whether {@code event} settles the job's finalization: the manifest's artifact, ready or failed for good. */
    public static boolean settles(StreamEvent event) {
        if (!StreamEvent.ARTIFACT.equals(event.type()) || !event.data().contains(MANIFEST)) {
            return false;
        }
        JsonNode artifact = EventJson.decode(event.data(), JsonNode.class);
        String state = artifact.path("state").asText();
        return MANIFEST.equals(artifact.path("name").asText())
                && (ArtifactState.READY.wire().equals(state) || ArtifactState.FAILED.wire().equals(state));
    }

    /**
     * The wall-clock time (epoch millis) by which a stream ends whatever it still waits for: {@code wait}
     * after {@code endedAt}, or after {@code now} when that is not known. A client following the job
     * live counts from when the terminal event reached it ({@code endedAt} 0): a Redis outage may have
     * held the event and the artifacts after it, and they come right after it. One that replays the
     * terminal event counts from the job's end, so coming late it waits only for what is left.
     */
    public static long endBy(long endedAt, long now, Duration wait) {
        return (endedAt > 0 ? endedAt : now) + wait.toMillis();
    }

    /**
     * The {@code end} event: {@code finalized} true when every artifact event of the job came before
     * it, false when the wait ran out first (the artifacts' states are then in
     * {@code GET /api/v1/jobs/{id}/artifacts}). It has no id: it is not in the buffer, and a client's
     * {@code Last-Event-ID} stays that of the last event it was given.
     */
    public static StreamEvent end(boolean finalized) {
        return new StreamEvent(null, END, "{\"finalized\":" + finalized + "}");
    }

    private StreamEnd() {
    }
}
