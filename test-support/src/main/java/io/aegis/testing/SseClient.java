package io.aegis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream to its end, the way a browser's EventSource would parse it. */
public final class SseClient {

    public record Event(String id, String type, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Opens the stream with the given headers and reads every event until the server closes it. */
    public static List<Event> read(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(5));
        headers.forEach(request::header);
        try {
            HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            try (Stream<String> lines = response.body()) {
                return parse(lines.iterator());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens a stream and keeps it open: its status, then its events one by one as they come. Closing
     * the connection disconnects, as a browser tab closing would.
     */
    public static Connection open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            return new Connection(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An open stream. */
    public static final class Connection implements AutoCloseable {

        private final int status;
        private final Stream<String> body;
        private final Iterator<String> lines;

        private Connection(int status, Stream<String> body) {
            this.status = status;
            this.body = body;
            this.lines = body.iterator();
        }

        public int status() {
            return status;
        }

        /** The next event, or null once the server has closed the stream. */
        public Event next() {
            return nextEvent(lines);
        }

        /** The whole body as text, for a refusal (a problem) rather than a stream. */
        public String text() {
            StringBuilder out = new StringBuilder();
            lines.forEachRemaining(line -> out.append(line).append('\n'));
            return out.toString();
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /** Events from SSE lines: fields up to a blank line make one event; comments are skipped. */
    public static List<Event> parse(Iterator<String> lines) {
        List<Event> events = new ArrayList<>();
        for (Event event = nextEvent(lines); event != null; event = nextEvent(lines)) {
            events.add(event);
        }
        return events;
    }

    /** The next event from SSE lines, or null when they end first. */
    static Event nextEvent(Iterator<String> lines) {
        String id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    return new Event(id, type == null ? "message" : type, data.toString());
                }
                id = null;
                type = null;
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                type = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).strip());
            }
        }
        return null;
    }

    private SseClient() {
    }
}
