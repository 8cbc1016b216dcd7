package io.aegis.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Readiness of one artifact: {@code missing → pending → ready | failed}, or for one made only when asked
 * for (BLAST's own formats) {@code on_request → pending → ready | failed}; lower case on the wire.
 */
public enum ArtifactState {
    MISSING, PENDING, READY, FAILED,
    /** Not made unless asked for: the first download (or build request) makes it. */
    ON_REQUEST;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArtifactState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
