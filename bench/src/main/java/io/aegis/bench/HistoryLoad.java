package io.aegis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads history pages through the gateway, one request at a time, the way a user pages through a
 * long history: the first page, pages deep down the cursor chain, and filtered pages.
 */
final class HistoryLoad {

    private final Http http;

    HistoryLoad(Http http) {
        this.http = http;
    }

    /** Latencies per scenario, each measured over {@code rounds} requests after a short warm-up. */
    Map<String, Latencies> run(int rounds) throws InterruptedException {
        Map<String, Latencies> results = new LinkedHashMap<>();
        results.put("first page (50 newest)", measure(rounds, () -> page("/api/v1/jobs?limit=50")));
        List<String> cursors = cursors(200);
        results.put("pages 1-200 deep (cursor)", measure(rounds, new Cycling(cursors)));
        results.put("status=FAILED", measure(rounds, () -> page("/api/v1/jobs?limit=50&status=FAILED")));
        results.put("database + created range", measure(rounds, () -> page(
                "/api/v1/jobs?limit=50&database=demo&from=2026-03-01T00:00:00Z&to=2026-06-01T00:00:00Z")));
        results.put("text search q=run 1234", measure(rounds, () -> page("/api/v1/jobs?limit=50&q="
                + URLEncoder.encode("run 1234", StandardCharsets.UTF_8))));
        return results;
    }

    private interface Request {
        void send() throws InterruptedException;
    }

    private final class Cycling implements Request {
        private final List<String> cursors;
        private int next;

        Cycling(List<String> cursors) {
            this.cursors = cursors;
        }

        @Override
        public void send() throws InterruptedException {
            page("/api/v1/jobs?limit=50&cursor=" + cursors.get(next++ % cursors.size()));
        }
    }

    private List<String> cursors(int pages) throws InterruptedException {
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < pages; i++) {
            JsonNode page = page("/api/v1/jobs?limit=50" + (cursor == null ? "" : "&cursor=" + cursor));
            cursor = page.path("nextCursor").asText(null);
            if (cursor == null) {
                break;
            }
            cursors.add(cursor);
        }
        if (cursors.isEmpty()) {
            throw new IllegalStateException("The history has a single page: was it seeded?");
        }
        return cursors;
    }

    private JsonNode page(String path) throws InterruptedException {
        Http.Response response = http.get(path);
        if (response.status() != 200) {
            throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    private static Latencies measure(int rounds, Request request) throws InterruptedException {
        for (int i = 0; i < Math.min(200, rounds); i++) {
            request.send();
        }
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            request.send();
            nanos[i] = System.nanoTime() - start;
        }
        return Latencies.of(nanos);
    }
}
