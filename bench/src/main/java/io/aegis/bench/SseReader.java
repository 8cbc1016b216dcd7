package io.aegis.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Server-Sent Events read from the bytes of a response as they come, in chunks cut anywhere: each
 * complete event (its {@code id}, {@code event} and {@code data} fields, up to the blank line) goes
 * to the sink. Comments ({@code : keepalive}) and {@code retry:} hints carry no event.
 */
final class SseReader {

    record Event(String id, String type, String data) {
    }

    private final Consumer<Event> sink;
    /** The bytes of a line not ended yet. */
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(256);
    private String id;
    private String type;
    private StringBuilder data;

    SseReader(Consumer<Event> sink) {
        this.sink = sink;
    }

    void feed(byte[] chunk) {
        int from = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                String line;
                if (partial.size() == 0) {
                    line = new String(chunk, from, i - from, StandardCharsets.UTF_8);
                } else {
                    partial.write(chunk, from, i - from);
                    line = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                }
                line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                from = i + 1;
            }
        }
        partial.write(chunk, from, chunk.length - from);
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                sink.accept(new Event(id, type == null ? "message" : type, data.toString()));
            }
            type = null;
            data = null;
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry: and fields SSE does not know carry no event
            }
        }
    }

    /** The {@code "seq"} number of an event's JSON, or -1 when it has none. */
    static long seq(String json) {
        int at = json.indexOf("\"seq\":");
        if (at < 0) {
            return -1;
        }
        int i = at + 6;
        while (i < json.length() && json.charAt(i) == ' ') {
            i++;
        }
        long value = 0;
        int start = i;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            value = value * 10 + (json.charAt(i) - '0');
            i++;
        }
        return i == start ? -1 : value;
    }
}
