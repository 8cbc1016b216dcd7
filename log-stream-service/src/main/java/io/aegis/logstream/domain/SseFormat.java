package io.aegis.logstream.domain;

/** The Server-Sent Events wire format (one event per frame, a blank line after each). */
public final class SseFormat {

    public static final String KEEPALIVE = ": keepalive\n\n";

    public static String frame(StreamEvent event) {
        StringBuilder out = new StringBuilder(event.data().length() + 64);
        if (event.id() != null) {
            out.append("id: ").append(event.id()).append('\n');
        }
        out.append("event: ").append(event.type()).append('\n');
        // data is one line of JSON; should a line break ever appear, SSE needs one data: field per line
        for (String line : event.data().split("\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    /** Tells the client how long to wait before reconnecting. */
    public static String retry(long millis) {
        return "retry: " + millis + "\n\n";
    }

    private SseFormat() {
    }
}
