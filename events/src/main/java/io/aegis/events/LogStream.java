package io.aegis.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which output stream a log line came from; lower case on the wire. */
public enum LogStream {
    STDOUT, STDERR;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LogStream fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
