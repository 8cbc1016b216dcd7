package io.aegis.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Readiness of one artifact: {@code missing → pending → ready | failed}; lower case on the wire. */
public enum ArtifactState {
    MISSING, PENDING, READY, FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArtifactState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
