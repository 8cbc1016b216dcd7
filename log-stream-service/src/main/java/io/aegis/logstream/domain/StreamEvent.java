package io.aegis.logstream.domain;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.EventJson;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One event of a job's stream as the client sees it: {@code id}, SSE event {@code type} and JSON
 * {@code data}. The id is the event's Redis Stream id, so ids order the stream and a client can
 * resume after any of them.
 */
public record StreamEvent(String id, String type, String data) {

    public static final String SNAPSHOT = "snapshot";
    public static final String PROGRESS = "progress";
    public static final String LOG = "log";
    public static final String ARTIFACT = "artifact";
    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    public boolean isTerminal() {
        return TERMINAL.contains(type);
    }

    /** A Kafka event as a stream event (without id yet), or empty when clients need not see it. */
    public static Optional<StreamEvent> of(Object event) {
        return switch (event) {
            case JobProgressEvent p when !p.heartbeat() -> Optional.of(unnumbered(PROGRESS, p));
            case JobLogEvent l -> Optional.of(unnumbered(LOG, l));
            case ArtifactStateEvent a -> Optional.of(unnumbered(ARTIFACT, a));
            case JobStateEvent s when s.status().isTerminal() ->
                    Optional.of(unnumbered(s.status().name().toLowerCase(Locale.ROOT), s));
            default -> Optional.empty();
        };
    }

    private static StreamEvent unnumbered(String type, Object event) {
        return new StreamEvent(null, type, EventJson.encodeToString(event));
    }

    public StreamEvent withId(String newId) {
        return new StreamEvent(newId, type, data);
    }
}
