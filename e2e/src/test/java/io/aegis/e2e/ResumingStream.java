package io.aegis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.e2e.JobClient.SseEvent;
import io.aegis.testing.SseClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client following one job's events through the gateway the way a browser's EventSource does:
 * whenever its stream breaks (the gateway or log-stream-service killed, a dependency of theirs away)
 * or is refused, it connects again, a quarter of a second later, with the id of the last event it
 * has as {@code Last-Event-ID}, until the stream's {@code end}. It reads on a thread of its own, so
 * a test can take parts of the stack away meanwhile, and notes when each event came.
 */
final class ResumingStream implements AutoCloseable {

    /** An event and when it reached the client ({@link System#nanoTime()}). */
    record Received(SseEvent event, long at) {
    }

    private final URI events;
    private final String token;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CompletableFuture<List<SseEvent>> ended = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile SseClient.Connection current;

    private ResumingStream(URI events, String token) {
        this.events = events;
        this.token = token;
    }

    /** Starts following job {@code id} as the owner of {@code token}. */
    static ResumingStream follow(AegisStack stack, String id, String token) {
        ResumingStream stream = new ResumingStream(stack.gateway().resolve("/api/v1/jobs/" + id + "/events"), token);
        Thread.ofVirtual().name("follow-" + id).start(stream::read);
        return stream;
    }

    private void read() {
        while (!closed) {
            Map<String, String> headers = new LinkedHashMap<>(Map.of("Authorization", "Bearer " + token));
            String last = lastId();
            if (last != null) {
                headers.put("Last-Event-ID", last);
            }
            try (SseClient.Connection connection = SseClient.open(events, headers)) {
                current = connection;
                if (connection.status() == 200) {
                    connections.incrementAndGet();
                    for (SseClient.Event event = connection.next(); event != null; event = connection.next()) {
                        SseEvent parsed = JobClient.parsed(event);
                        if (parsed.type().equals("snapshot")) {
                            continue; // each connection starts with the job as it is: not an event of the job's
                        }
                        received.add(new Received(parsed, System.nanoTime()));
                        if (parsed.type().equals("end")) {
                            ended.complete(events());
                            return;
                        }
                    }
                }
                // refused (a service behind the gateway not ready yet) or closed before its end: again
            } catch (UncheckedIOException | IOException cut) {
                // the gateway or log-stream-service went away mid-stream, or does not answer yet
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String lastId() {
        for (int i = received.size() - 1; i >= 0; i--) {
            String id = received.get(i).event().id();
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    /** What the client has been given so far, in order, without the snapshots that open each connection. */
    List<SseEvent> events() {
        return received.stream().map(Received::event).toList();
    }

    /** How many times the stream was opened (and answered 200). */
    int connections() {
        return connections.get();
    }

    /**
     * How long after {@code nanos} the client was given an event (the first to come after it), once
     * one comes within {@code timeout}.
     */
    Duration firstEventAfter(long nanos, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : received) {
                if (r.at() > nanos) {
                    return Duration.ofNanos(r.at() - nanos);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No event reached the client within " + timeout + " of the fault's end; it has:"
                + JobClient.describe(events()));
    }

    /** Every event to the stream's {@code end}, once it comes within {@code timeout}. */
    List<SseEvent> awaitEnd(Duration timeout) throws InterruptedException {
        try {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("The stream did not end within " + timeout + " (" + connections()
                    + " connections); it has:" + JobClient.describe(events()));
        } catch (ExecutionException e) {
            throw new AssertionError("The client failed", e.getCause());
        }
    }

    /**
     * Holds the client's view whole: every event of the job once, none missing, up to its end. Ids
     * are {@code <epoch>-<n>}, {@code n} counting the job's events from 1 in its replay buffer, so the
     * client, given them from the first, must have had 1, 2, 3, … with no number skipped or repeated,
     * across all its connections, through the job's one terminal event (of the expected kind) and the
     * artifact events after it: log-stream-service buffers a job's end only once its last log lines and
     * progress are in, whatever its topics' consumers do (after a broker restart they come back one at
     * a time), so nothing of the job's own reaches its buffer after its end. No {@code gap} and no
     * {@code dropped} marker; for a job that succeeded, progress up to its total.
     * After the terminal event the stream carries artifact events only, in the buffer's order, the
     * manifest's last, then {@code end} saying the artifacts were all finalized (the artifacts
     * themselves are checked against the job's list by the caller).
     *
     * <p>{@code bufferMayBeLost}: Redis restarted empty, so the buffer starts again in a new epoch,
     * which the stream says with a {@code gap} {@code {"bufferLost": true}}: what the old buffer held
     * that the client had not been given cannot be counted. Then the numbering starts again at 1 after
     * that gap, and within each epoch holds as above.
     */
    static void assertWhole(List<SseEvent> events, String outcome, boolean bufferMayBeLost) {
        String all = JobClient.describe(events);
        assertThat(JobClient.outcome(events)).as(all).isEqualTo(outcome);
        assertThat(events).extracting(SseEvent::type).as(all).doesNotContain("dropped");
        List<SseEvent> gaps = events.stream().filter(e -> e.type().equals("gap")).toList();
        if (bufferMayBeLost) {
            assertThat(gaps).as(all).allSatisfy(gap -> assertThat(gap.data().path("bufferLost").asBoolean()).isTrue());
        } else {
            assertThat(gaps).as(all).isEmpty();
        }
        SseEvent terminal = JobClient.terminal(events);
        List<String> ids = new ArrayList<>();
        String epoch = null;
        long n = 0;
        for (SseEvent event : events) {
            if (event.type().equals("end")) {
                continue;
            }
            if (event.type().equals("gap")) {
                epoch = null; // a new buffer follows: its numbering starts again
                n = 0;
                continue;
            }
            assertThat(event.id()).as("an event without an id: %s", all).isNotNull();
            ids.add(event.id());
            String eventEpoch = event.id().substring(0, event.id().lastIndexOf('-'));
            long number = Long.parseLong(event.id().substring(event.id().lastIndexOf('-') + 1));
            if (epoch == null) {
                epoch = eventEpoch;
            } else {
                assertThat(eventEpoch).as("the buffer's epoch changed with no gap event: %s", all).isEqualTo(epoch);
            }
            assertThat(number).as("after event %s-%s the next one the client got: %s", epoch, n, all).isEqualTo(n + 1);
            n = number;
        }
        assertThat(ids).as(all).doesNotHaveDuplicates();
        List<JsonNode> progress = events.stream().filter(e -> e.type().equals("progress")).map(SseEvent::data).toList();
        assertThat(progress).extracting(p -> p.path("done").asInt()).as(all).isSorted();
        if (outcome.equals("succeeded")) {
            assertThat(progress).as(all).isNotEmpty();
            assertThat(progress.getLast().path("done").asInt()).as(all).isEqualTo(progress.getLast().path("total").asInt());
        }
        List<SseEvent> afterEnd = events.subList(events.indexOf(terminal) + 1, events.size() - 1);
        assertThat(afterEnd).as(all).isNotEmpty().allMatch(e -> e.type().equals("artifact"));
        assertThat(afterEnd.getLast().data().get("name").asText()).as(all).isEqualTo("manifest.json");
        assertThat(events.getLast().data().path("finalized").asBoolean()).as(all).isTrue();
    }

    /** The artifact names the client was told of, each with its last state. */
    static Map<String, String> artifacts(List<SseEvent> events) {
        Map<String, String> states = new LinkedHashMap<>();
        events.stream().filter(e -> e.type().equals("artifact"))
                .forEach(e -> states.put(e.data().get("name").asText(), e.data().get("state").asText().toLowerCase()));
        return states;
    }

    @Override
    public void close() {
        closed = true;
        SseClient.Connection connection = current;
        if (connection != null) {
            connection.close();
        }
    }
}
