package io.aegis.logstream.domain;

/** The Server-Sent Events wire format (one event per frame, a blank line after each). */
public final class SseFormat {

    public static final String KEEPALIVE = ": keepalive\n\n";

    public static String frame(StreamEvent event) {
        return append(new StringBuilder(event.data().length() + 64), event).toString();
    }

    /** Appends the event's frame to {@code out}; answers {@code out}. */
    public static StringBuilder append(StringBuilder out, StreamEvent event) {
        if (event.id() != null) {
            out.append("id: ").append(event.id()).append('\n');
        }
        out.append("event: ").append(event.type()).append('\n');
        // data is one line of JSON; should a line break ever appear, SSE needs one data: field per line
        String data = event.data();
        for (int from = 0; ; ) {
            int end = data.indexOf('\n', from);
            out.append("data: ").append(data, from, end < 0 ? data.length() : end).append('\n');
            if (end < 0) {
                break;
            }
            from = end + 1;
        }
        return out.append('\n');
    }

    /** Tells the client how long to wait before reconnecting. */
    public static String retry(long millis) {
        return "retry: " + millis + "\n\n";
    }

    private SseFormat() {
    }
}
