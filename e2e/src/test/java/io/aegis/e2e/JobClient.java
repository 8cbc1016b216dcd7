package io.aegis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.testing.SseClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the end-to-end tests do through the gateway, the way a script would: submit, read a job,
 * wait for a state or the manifest, follow the job's events; and the one reference they compare
 * results with, {@code blastp} run directly on the same input and database.
 */
final class JobClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path QUERIES = AegisStack.REPO.resolve("examples/queries.fasta");
    static final Path DATABASE = AegisStack.REPO.resolve("examples/databases/demo.fasta");
    /** The blast pipeline's columns (and the worker's test pipeline's, which searches as it does). */
    private static final String OUTFMT = "6 qseqid sseqid pident length mismatch gapopen qstart qend sstart send evalue "
            + "bitscore qlen slen qcovs stitle qseq sseq";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The direct runs' hits by query file: each input is searched directly once per JVM. */
    private static final Map<Path, List<String>> DIRECT = new ConcurrentHashMap<>();

    /** An event of a job's stream, its data parsed. */
    record SseEvent(String id, String type, JsonNode data) {
    }

    private final AegisStack stack;

    JobClient(AegisStack stack) {
        this.stack = stack;
    }

    /** Submits a job and expects it accepted ({@code 202}); the job as answered. */
    JsonNode submit(String token, Map<String, Object> job) throws Exception {
        HttpResponse<String> submitted = submitting(token, job);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        return JSON.readTree(submitted.body());
    }

    /** Submits a job and gives the answer, whatever it is. */
    HttpResponse<String> submitting(String token, Map<String, Object> job) throws Exception {
        return HTTP.send(request("/api/v1/jobs", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(job))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token) throws Exception {
        return HTTP.send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(stack.gateway() + path)).header("Authorization", "Bearer " + token);
    }

    /** The job as its owner reads it. */
    JsonNode job(String id, String token) throws Exception {
        HttpResponse<String> answer = get("/api/v1/jobs/" + id, token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** Reads the job until {@code until} holds of it; fails with the last answer and job-service's log after {@code timeout}. */
    JsonNode awaitJob(String id, String token, Predicate<JsonNode> until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = get("/api/v1/jobs/" + id, token);
                last = answer.statusCode() + " " + answer.body();
                if (answer.statusCode() == 200) {
                    JsonNode job = JSON.readTree(answer.body());
                    if (until.test(job)) {
                        return job;
                    }
                }
            } catch (IOException away) {
                last = away.toString(); // the gateway is away (restarting): ask again
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Job " + id + " did not get there within " + timeout + "; last seen: " + last
                + "\n" + stack.logTail("job-service"));
    }

    /** Waits until the job's manifest, the artifact built last, is ready. */
    void awaitManifest(String id, String token) throws Exception {
        awaitArtifact(id, token, "manifest.json");
    }

    /**
     * Waits until the job's artifact {@code name} is ready. A retried job may still list what its
     * failed attempt left, its manifest among them: that its success's artifacts are built, an
     * artifact only a success has tells ({@code hits.tsv}).
     */
    void awaitArtifact(String id, String token, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/api/v1/jobs/" + id + "/artifacts", token);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                for (JsonNode item : JSON.readTree(response.body()).get("items")) {
                    if (item.get("name").asText().equals(name) && item.get("state").asText().equals("ready")) {
                        return;
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("The " + name + " of job " + id + " was not ready within 60 s; last listed: " + last
                + "\n" + stack.logTail("artifact-service"));
    }

    /** Reads the job's event stream through the gateway from its start to its end. */
    List<SseEvent> follow(String id, String token) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        for (SseClient.Event e : SseClient.read(stack.gateway().resolve("/api/v1/jobs/" + id + "/events"),
                Map.of("Authorization", "Bearer " + token))) {
            events.add(parsed(e));
        }
        return events;
    }

    /** Reads a connection's events until it ends, in order or abruptly (the service was killed). */
    static void drain(SseClient.Connection connection, List<SseEvent> into) throws IOException {
        try {
            for (SseClient.Event event = connection.next(); event != null; event = connection.next()) {
                into.add(parsed(event));
            }
        } catch (UncheckedIOException cutOff) {
            // the server went away mid-stream: the client resumes from the last event it has
        }
    }

    static SseEvent parsed(SseClient.Event event) throws IOException {
        return new SseEvent(event.id(), event.type(), JSON.readTree(event.data()));
    }

    /** The stream's one terminal event; the stream ended as a job's does, with {@code end}. */
    static SseEvent terminal(List<SseEvent> events) {
        List<SseEvent> terminals = events.stream()
                .filter(e -> List.of("succeeded", "failed", "cancelled").contains(e.type())).toList();
        assertThat(terminals).as(describe(events)).hasSize(1);
        assertThat(events.getLast().type()).as(describe(events)).isEqualTo("end");
        return terminals.getFirst();
    }

    /** How the job ended, as its stream told it. */
    static String outcome(List<SseEvent> events) {
        return terminal(events).type();
    }

    static String describe(List<SseEvent> events) {
        return events.stream().map(e -> e.type() + " " + e.id() + " " + e.data()).reduce("", (a, b) -> a + "\n" + b);
    }

    /** The hits of {@code blastp} run by hand on {@code queries} against the example database, as the job's hits.tsv has them. */
    static List<String> blastpDirectly(Path queries) {
        return DIRECT.computeIfAbsent(queries, JobClient::searchDirectly);
    }

    private static List<String> searchDirectly(Path queries) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "direct-blastp-");
            run(dir, "makeblastdb", "-in", DATABASE.toString(), "-dbtype", "prot", "-out", "db/demo", "-parse_seqids");
            run(dir, "blastp", "-query", queries.toString(), "-db", "db/demo", "-outfmt", OUTFMT, "-out", "hits.tsv");
            return List.copyOf(Files.readAllLines(dir.resolve("hits.tsv")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tool.log").toFile()).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
