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

    /** Events from SSE lines: fields up to a blank line make one event; comments are skipped. */
    public static List<Event> parse(Iterator<String> lines) {
        List<Event> events = new ArrayList<>();
        String id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new Event(id, type == null ? "message" : type, data.toString()));
                }
                id = null;
                type = null;
                data.setLength(0);
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
        return events;
    }

    private SseClient() {
    }
}
