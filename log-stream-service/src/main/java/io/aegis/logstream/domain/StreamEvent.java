package io.aegis.logstream.domain;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.EventJson;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One event of a job's stream as the client sees it: {@code id} (see {@link StreamIds}), SSE event
 * {@code type} and JSON {@code data}. {@code publishedAt} is when its producer published it (epoch
 * millis, 0 when unknown): the start of its delivery lag. {@code attempt} is the attempt of the job
 * the event belongs to (0 when it names none): a job that failed or was cancelled can be retried, its
 * next attempt's events follow the earlier attempt's end in one stream, and a stream follows the
 * job's current attempt ({@link Attempts}).
 */
public record StreamEvent(String id, String type, String data, long publishedAt, int attempt) {

    public static final String SNAPSHOT = "snapshot";
    public static final String PROGRESS = "progress";
    public static final String STEP = "step";
    public static final String LOG = "log";
    public static final String ARTIFACT = "artifact";
    /** Events a reader cannot be given any more (the replay buffer was trimmed or lost). */
    public static final String GAP = "gap";
    /** Log lines left out for a reader that could not keep up. */
    public static final String DROPPED = "dropped";
    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    public StreamEvent(String id, String type, String data) {
        this(id, type, data, 0, 0);
    }

    public StreamEvent(String id, String type, String data, long publishedAt) {
        this(id, type, data, publishedAt, 0);
    }

    public boolean isTerminal() {
        return TERMINAL.contains(type);
    }

    /** Only log lines may be left out for a slow reader; progress, steps and the end never are. */
    public boolean isDroppable() {
        return LOG.equals(type);
    }

    /**
     * A Kafka event as a stream event (without id yet), or empty when clients need not see it:
     * heartbeats, and states other than the end. A progress report that starts or ends a step is a
     * {@code step} event. The event keeps the attempt its job event names (an artifact event from a
     * producer that does not say names none).
     */
    public static Optional<StreamEvent> of(Object event) {
        return switch (event) {
            case JobProgressEvent p when p.heartbeat() -> Optional.empty();
            case JobProgressEvent p -> Optional.of(unnumbered(p.stepStatus() == null ? PROGRESS : STEP, p, p.attempt()));
            case JobLogEvent l -> Optional.of(unnumbered(LOG, l, l.attempt()));
            case ArtifactStateEvent a -> Optional.of(unnumbered(ARTIFACT, a, a.attempt() == null ? 0 : a.attempt()));
            case JobStateEvent s when s.status().isTerminal() ->
                    Optional.of(unnumbered(s.status().name().toLowerCase(Locale.ROOT), s, s.attempt()));
            default -> Optional.empty();
        };
    }

    /**
     * The {@code gap} event before {@code next}: {@code {"skipped": n}}, how many events were skipped
     * (the buffer was trimmed past the reader's cursor); or, where that cannot be known,
     * {@code {"bufferLost": true}}: the buffer was lost and created again (Redis restarted without its
     * data), and whatever it held that the reader had not been given is gone, however many events that
     * was. Either way the job's state is in its snapshot ({@code GET /api/v1/jobs/{id}}).
     */
    public static StreamEvent gap(String next, OptionalLong skipped) {
        String data = skipped.isPresent() ? "{\"skipped\":" + skipped.getAsLong() + "}" : "{\"bufferLost\":true}";
        return new StreamEvent(StreamIds.before(next), GAP, data);
    }

    /** The {@code dropped} marker for {@code count} log lines, the last of them {@code lastId}. */
    public static StreamEvent dropped(String lastId, long count) {
        return new StreamEvent(lastId, DROPPED, "{\"count\":" + count + "}");
    }

    private static StreamEvent unnumbered(String type, Object event, int attempt) {
        return new StreamEvent(null, type, EventJson.encodeToString(event), 0, attempt);
    }

    public StreamEvent withId(String newId) {
        return new StreamEvent(newId, type, data, publishedAt, attempt);
    }

    public StreamEvent publishedAt(long millis) {
        return new StreamEvent(id, type, data, millis, attempt);
    }

    public StreamEvent ofAttempt(int newAttempt) {
        return new StreamEvent(id, type, data, publishedAt, newAttempt);
    }
}
