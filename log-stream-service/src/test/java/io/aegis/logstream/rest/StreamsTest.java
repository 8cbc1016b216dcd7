package io.aegis.logstream.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.redis.StreamTickets;
import io.aegis.events.EventJson;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.logstream.service.EventLog;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.SseClient.Connection;
import io.aegis.testing.SseClient.Event;
import io.aegis.testing.SseClient;
import io.aegis.testing.TestCallers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The stream's promises against a real Kafka broker and Redis: resume, tickets, limits, backpressure, gaps. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
class StreamsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    @Inject
    EventLog eventLog;

    @Inject
    RedisDataSource redis;

    @Test
    void aClientThatReconnectsAtAHundredRandomPointsGetsEveryEventExactlyOnceInOrder() throws Exception {
        UUID id = JobServiceStandIn.job("carol", JobStatus.RUNNING);
        int lines = 700;
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            for (int from = 1; from <= lines; from += 10) {
                sendLogs(id, from, from + 9, "");
                pause(15);
            }
            send(Topics.JOB_STATE, id, state(id, JobStatus.SUCCEEDED));
        });
        Random random = new Random(20261201);
        List<Event> seen = new ArrayList<>();
        String cursor = null;
        int connections = 0;
        boolean ended = false;
        while (!ended) {
            Map<String, String> headers = new HashMap<>(Map.of(AegisHeaders.IDENTITY, TestCallers.identity("carol")));
            if (cursor != null) {
                headers.put("Last-Event-ID", cursor);
            }
            try (Connection stream = SseClient.open(events(id), headers)) {
                assertThat(stream.status()).isEqualTo(200);
                connections++;
                assertThat(stream.next().type()).isEqualTo("snapshot");
                int take = 1 + random.nextInt(10);
                for (int i = 0; i < take && !ended; i++) {
                    Event event = stream.next();
                    seen.add(event);
                    cursor = event.id();
                    ended = event.type().equals("succeeded");
                }
            }
        }
        producing.get(30, TimeUnit.SECONDS);

        assertThat(connections).isGreaterThanOrEqualTo(100);
        assertThat(seen.getLast().type()).isEqualTo("succeeded");
        assertThat(seen.subList(0, seen.size() - 1)).extracting(Event::type).containsOnly("log");
        assertThat(seen.subList(0, seen.size() - 1)).extracting(StreamsTest::line)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, lines).mapToObj(n -> "line " + n).toList());
        assertThat(seen).extracting(Event::id).doesNotHaveDuplicates();
    }

    @Test
    void aTicketOpensItsJobsStreamOnceAndOnlyForItsOwner() {
        UUID id = JobServiceStandIn.job("alice", JobStatus.RUNNING);
        UUID other = JobServiceStandIn.job("alice", JobStatus.RUNNING);

        String ticket = ticket(id, "alice", Duration.ofSeconds(60));
        // reached without the gateway, a ticket opens nothing (and is not spent)
        assertRefused(events(id, ticket), Map.of(), 401, "UNAUTHENTICATED");
        try (Connection stream = SseClient.open(events(id, ticket), gateway())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next().type()).isEqualTo("snapshot");
        }
        assertRefused(events(id, ticket), gateway(), 401, "TICKET_INVALID");

        assertRefused(events(other, ticket(id, "alice", Duration.ofSeconds(60))), gateway(), 403, "TICKET_WRONG_JOB");
        assertRefused(events(id, ticket(id, "alice", Duration.ofSeconds(60))), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("bob")),
                403, "TICKET_WRONG_USER");

        String expired = ticket(id, "alice", Duration.ofMillis(200));
        pause(500);
        assertRefused(events(id, expired), gateway(), 401, "TICKET_INVALID");
        assertRefused(events(id, "not-a-ticket"), gateway(), 401, "TICKET_INVALID");
        // a ticket of another user for this job: the snapshot is that user's, so the owner check is job-service's
        assertRefused(events(id, ticket(id, "mallory", Duration.ofSeconds(60))), gateway(), 404, "JOB_NOT_FOUND");
    }

    /** What the gateway sends with a stream opened by ticket: an identity that names no user. */
    private static Map<String, String> gateway() {
        return Map.of(AegisHeaders.IDENTITY, TestCallers.nobody());
    }

    @Test
    void theEleventhStreamOfAUserIsRefusedWithAProblemThatSaysToPoll() {
        UUID id = JobServiceStandIn.job("dave", JobStatus.RUNNING);
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Connection stream = SseClient.open(events(id), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("dave")));
                open.add(stream);
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.next().type()).isEqualTo("snapshot");
            }
            JsonNode problem = assertRefused(events(id), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("dave")), 429, "TOO_MANY_STREAMS");
            assertThat(problem.path("poll").asText()).isEqualTo("/api/v1/jobs/" + id);
            assertThat(problem.path("detail").asText()).contains("poll GET /api/v1/jobs/" + id);

            // another user is not affected, and a closed stream frees its slot
            try (Connection erin = SseClient.open(events(JobServiceStandIn.job("erin", JobStatus.RUNNING)),
                    Map.of(AegisHeaders.IDENTITY, TestCallers.identity("erin")))) {
                assertThat(erin.status()).isEqualTo(200);
            }
            open.removeFirst().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Connection again = SseClient.open(events(id), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("dave")));
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                again.close();
                return false;
            });
        } finally {
            open.forEach(Connection::close);
        }
    }

    @Test
    void aStalledClientLosesOnlyOldLogLinesAndNeverSlowsAFastOne() throws Exception {
        UUID id = JobServiceStandIn.job("frank", JobStatus.RUNNING);
        int lines = 4000;
        String padding = "x".repeat(3000);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(jobs.getHost(), jobs.getPort()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET " + jobs.getPath() + id + "/events HTTP/1.1\r\nHost: " + jobs.getHost()
                    + "\r\nAccept: text/event-stream\r\n" + AegisHeaders.IDENTITY + ": " + TestCallers.identity("frank") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            CompletableFuture<List<Event>> fast = CompletableFuture.supplyAsync(() ->
                    SseClient.read(events(id), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("frank"))));
            pause(1000);
            for (int from = 1; from <= lines; from += 500) {
                sendLogs(id, from, from + 499, padding);
                send(Topics.JOB_PROGRESS, id, progress(id, from + 499, lines));
            }
            send(Topics.JOB_STATE, id, state(id, JobStatus.SUCCEEDED));

            List<Event> quick = fast.get(60, TimeUnit.SECONDS);
            assertThat(quick.stream().filter(e -> e.type().equals("log"))).hasSize(lines);
            assertThat(quick).extracting(Event::type).doesNotContain("dropped", "gap");
            assertThat(quick).extracting(Event::type).endsWith("succeeded", "end");

            // only now does the stalled client read: the end and every progress event are there, lines were dropped
            List<Event> slow = SseClient.parse(dechunked(stalled.getInputStream()).lines().iterator());
            assertThat(slow).extracting(Event::type).endsWith("succeeded", "end");
            assertThat(slow.stream().filter(e -> e.type().equals("progress"))).hasSize(lines / 500);
            long delivered = slow.stream().filter(e -> e.type().equals("log")).count();
            long dropped = slow.stream().filter(e -> e.type().equals("dropped"))
                    .mapToLong(e -> EventJson.decode(e.data(), JsonNode.class).path("count").asLong()).sum();
            assertThat(dropped).isPositive();
            assertThat(delivered + dropped).isEqualTo(lines);
            assertThat(slow.stream().filter(e -> e.type().equals("log")).map(StreamsTest::line).toList())
                    .isSortedAccordingTo((a, b) -> Integer.compare(number(a), number(b)));
        }
    }

    @Test
    void resumingPastTheReplayCapGivesAGapEventWithTheCountThenTheRest() {
        UUID id = JobServiceStandIn.job("grace", JobStatus.RUNNING);
        int lines = 2500;
        for (int from = 1; from <= lines; from += 500) {
            sendLogs(id, from, from + 499, "");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> eventLog.newest(id).await().indefinitely().endsWith("-" + lines));
        String newest = eventLog.newest(id).await().indefinitely();
        String epoch = newest.substring(0, newest.indexOf('-'));
        String firstKept = eventLog.after(id, "0-0", 1).await().indefinitely().getFirst().id();
        long firstN = Long.parseLong(firstKept.substring(firstKept.indexOf('-') + 1));
        assertThat(firstN).as("the buffer was trimmed to about its cap").isGreaterThan(1);
        send(Topics.JOB_STATE, id, state(id, JobStatus.SUCCEEDED));

        List<Event> resumed = SseClient.read(events(id), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("grace"), "Last-Event-ID", epoch + "-5"));
        assertThat(resumed.get(0).type()).isEqualTo("snapshot");
        assertThat(resumed.get(1).type()).isEqualTo("gap");
        assertThat(EventJson.decode(resumed.get(1).data(), JsonNode.class).path("skipped").asLong()).isEqualTo(firstN - 6);
        assertThat(resumed.get(2).id()).isEqualTo(firstKept);
        assertThat(line(resumed.get(2))).isEqualTo("line " + firstN);
        assertThat(resumed).extracting(Event::type).endsWith("succeeded", "end");
    }

    /** The body of a chunked HTTP/1.1 response, read from the raw connection after its head. */
    private static String dechunked(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in));
        String line;
        do {
            line = asciiLine(data);
        } while (!line.isEmpty());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(asciiLine(data), 16); size > 0; size = Integer.parseInt(asciiLine(data), 16)) {
            body.write(data.readNBytes(size));
            asciiLine(data);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String asciiLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private JsonNode assertRefused(URI uri, Map<String, String> headers, int status, String code) {
        try (Connection refused = SseClient.open(uri, headers)) {
            String body = refused.text();
            assertThat(refused.status()).as(body).isEqualTo(status);
            JsonNode problem = EventJson.decode(body, JsonNode.class);
            assertThat(problem.path("code").asText()).isEqualTo(code);
            return problem;
        }
    }

    private String ticket(UUID jobId, String user, Duration ttl) {
        byte[] random = new byte[StreamTickets.BYTES];
        new java.security.SecureRandom().nextBytes(random);
        String ticket = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        redis.value(String.class).set(StreamTickets.key(ticket),
                EventJson.encodeToString(new StreamTickets.Grant(jobId, user, Instant.now().plus(ttl))),
                new SetArgs().px(ttl));
        return ticket;
    }

    private URI events(UUID id) {
        return jobs.resolve(id + "/events");
    }

    private URI events(UUID id, String ticket) {
        return jobs.resolve(id + "/events?ticket=" + ticket);
    }

    private void sendLogs(UUID id, int from, int to, String padding) {
        List<JobLogEvent> batch = IntStream.rangeClosed(from, to).mapToObj(n -> new JobLogEvent(1, id, 1, n, Steps.SEARCH,
                LogStream.STDOUT, "blastp", "line " + n + padding, Instant.now())).toList();
        KafkaRecords.send(kafka, Topics.JOB_LOG, id.toString(), new EventSerializer(), batch);
    }

    private void send(String topic, UUID id, Object event) {
        KafkaRecords.send(kafka, topic, id.toString(), new EventSerializer(), List.of(event));
    }

    private static JobProgressEvent progress(UUID id, int done, int total) {
        return new JobProgressEvent(1, id, 1, 100_000 + done, Steps.SEARCH, null, done, total, JobStatus.RUNNING,
                done + " of " + total, null, null, false, "w", Instant.now());
    }

    static JobStateEvent state(UUID id, JobStatus status) {
        return new JobStateEvent(1, id, "alice", status, Steps.FINALIZE, 5, 5, null, null, 1, 7, null, Instant.now());
    }

    static String line(Event event) {
        String text = EventJson.decode(event.data(), JsonNode.class).path("line").asText();
        int padding = text.indexOf('x');
        return padding < 0 ? text : text.substring(0, padding);
    }

    private static int number(String line) {
        return Integer.parseInt(line.substring("line ".length()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
