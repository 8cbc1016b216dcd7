package io.aegis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static io.aegis.e2e.JobClient.DATABASE;
import static io.aegis.e2e.JobClient.JSON;
import static io.aegis.e2e.JobClient.QUERIES;
import static io.aegis.e2e.JobClient.blastpDirectly;
import static io.aegis.e2e.JobClient.describe;
import static io.aegis.e2e.JobClient.drain;
import static io.aegis.e2e.JobClient.outcome;
import static io.aegis.e2e.JobClient.parsed;
import static io.aegis.e2e.JobClient.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.e2e.JobClient.SseEvent;
import io.aegis.events.StoreLayout;
import io.aegis.testing.OtlpTraceReceiver;
import io.aegis.testing.PrometheusScrape;
import io.aegis.testing.SseClient;
import io.aegis.testing.TestCallers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real BLAST job through all five services, driven the way a script or the web app drives it:
 * submit through the gateway, follow the Server-Sent Events to the terminal event, download the
 * result, and compare it with {@code blastp} run directly on the same input and database.
 *
 * <p>The scenarios that kill and restart a service mid-job are tagged {@value #RECOVERY}: they wait
 * on restarts and whole jobs, so {@code ./aegis test} leaves them to {@code ./aegis test recovery},
 * which CI runs as a step of its own. They hold the services to their recovery targets, with the
 * production defaults (a killed worker's job running again within 15 s of the kill, a restarted
 * job-service or artifact-service back to its work within 10 s of being ready), and print the
 * times they measured ({@code Recovery: …} in the output).
 */
class BlastJobIT {

    static final String RECOVERY = "recovery";

    /** A killed worker's job runs again within this of the kill (the target, with the production defaults). */
    private static final Duration RUNNING_AGAIN_WITHIN = Duration.ofSeconds(15);
    /** A restarted service is back to its work within this of being ready. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);
    /** How far into its search the job is when its worker is killed: done queries, a share of all. */
    private static final double KILLED_WHEN_DONE = 0.75;
    /** The split's output when it reused batches: {@code N batches of up to R residues; K of N batches reused …}. */
    private static final Pattern SPLIT_REUSING =
            Pattern.compile("(\\d+) batches of up to \\d+ residues; (\\d+) of \\1 batches reused from an earlier attempt");
    /** A batch finished: the message of the progress report that counts its queries. */
    private static final Pattern BATCH_DONE = Pattern.compile("^batch (\\d+)/\\d+ done$");
    /** A batch taken from an earlier attempt's checkpoint: the worker's log line. */
    private static final Pattern BATCH_REUSED = Pattern.compile("^batch (\\d+)/\\d+: reused from an earlier attempt$");
    /** A batch searched: the worker's log line as its tool starts. */
    private static final Pattern BATCH_SEARCHED = Pattern.compile("^batch (\\d+)/\\d+: \\d+ sequences?, blastp$");
    /** The queries of each job of a user flooding the queue. */
    private static final int FLOOD_QUERIES = 30;
    /** The queries of the retried job: enough for half a dozen batches, few enough to search in seconds. */
    private static final int RETRIED_QUERIES = 500;
    /** A batch an attempt finished, kept for a later one: its checkpoint's file in the store. */
    private static final Pattern CHECKPOINT = Pattern.compile("batch-(\\d{4})\\.json");

    private static AegisStack stack;
    private static JobClient jobs;
    private static OtlpTraceReceiver traces;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * The stack traces (OpenTelemetry) to a receiver of the test's, as an operator's stack sends them to
     * a collector: its services' real OTLP exporters, sending every 200 ms.
     */
    @BeforeAll
    static void startStack() throws IOException {
        traces = OtlpTraceReceiver.start();
        stack = AegisStack.start(Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.endpoint(),
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
        jobs = new JobClient(stack);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    /**
     * One trace from the submit to the artifacts, across all five services: the gateway continues the
     * caller's {@code traceparent}, job-service's outbox and every Kafka hop carry it on, and each span's
     * parent is another span of the trace. The worker's batches sit under its search step and its
     * attempt, and the finalization descends from the worker's outcome (through job-service's progress
     * consumer, the outbox and the terminal state), not merely from the submit.
     */
    @Test
    void aJobIsOneTraceFromItsSubmitThroughKafkaAndTheWorkerToItsArtifacts() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = "00f067aa0ba902b7";
        String alice = stack.token("alice");
        String fasta = String.join("\n", Files.readAllLines(QUERIES).subList(0, 6)) + "\n"; // three queries
        HttpResponse<String> submitted = HTTP.send(jobs.request("/api/v1/jobs", alice)
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("fasta", fasta,
                        "pipeline", "blast", "database", "demo", "params", Map.of("program", "blastp"),
                        "reuse", false)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).get("id").asText();
        List<SseEvent> events = jobs.follow(id, alice);
        assertThat(outcome(events)).as(describe(events)).isEqualTo("succeeded");

        Set<String> services = Set.copyOf(AegisStack.SERVICES);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<OtlpTraceReceiver.ReceivedSpan> trace = traces.trace(traceId);
            assertThat(trace).as("the services of trace %s (of %d spans received)", traceId, traces.spans().size())
                    .extracting(OtlpTraceReceiver.ReceivedSpan::service).containsAll(services);
            assertThat(trace).extracting(OtlpTraceReceiver.ReceivedSpan::name)
                    .contains("run blast", "step search", "finalize job", "build manifest.json")
                    .anySatisfy(name -> assertThat(name).matches("batch \\d+/\\d+"));
        });
        List<OtlpTraceReceiver.ReceivedSpan> trace = traces.trace(traceId);
        Map<String, OtlpTraceReceiver.ReceivedSpan> byId = trace.stream()
                .collect(Collectors.toMap(OtlpTraceReceiver.ReceivedSpan::spanId, span -> span));
        assertThat(trace).as("every span's parent is in the trace, but the gateway's, the caller's child")
                .allSatisfy(span -> assertThat(byId.containsKey(span.parentSpanId()) || span.parentSpanId().equals(callerSpan))
                        .as("%s of %s, parent %s", span.name(), span.service(), span.parentSpanId()).isTrue());
        assertThat(trace).filteredOn(span -> span.parentSpanId().equals(callerSpan))
                .extracting(OtlpTraceReceiver.ReceivedSpan::service, OtlpTraceReceiver.ReceivedSpan::kind)
                .containsExactly(tuple("gateway-service", OtlpTraceReceiver.ReceivedSpan.SERVER));

        assertThat(trace).filteredOn(span -> span.name().startsWith("batch ")).isNotEmpty()
                .allSatisfy(batch -> assertThat(ancestors(batch, byId)).extracting(OtlpTraceReceiver.ReceivedSpan::name)
                        .startsWith("step search", "run blast"));
        assertThat(named(trace, "run blast").attributes()).containsEntry("aegis.job.id", id);
        List<OtlpTraceReceiver.ReceivedSpan> fromFinalization = ancestors(named(trace, "finalize job"), byId);
        assertThat(fromFinalization).as("the finalization descends from the worker's outcome")
                .extracting(OtlpTraceReceiver.ReceivedSpan::service)
                .containsSubsequence("job-service", "pipeline-worker", "job-service", "gateway-service");
        assertThat(fromFinalization).as("through the outbox's send of the terminal state")
                .anySatisfy(span -> assertThat(span.name()).isEqualTo("aegis.job.state publish"));
        assertThat(trace).as("log-stream-service read the job's progress, states and artifacts in its trace")
                .filteredOn(span -> span.service().equals("log-stream-service")
                        && span.kind() == OtlpTraceReceiver.ReceivedSpan.CONSUMER)
                .extracting(span -> span.attributes().get("messaging.destination.name"))
                .contains("aegis.job.progress", "aegis.job.state", "aegis.artifact.state");
    }

    private static OtlpTraceReceiver.ReceivedSpan named(List<OtlpTraceReceiver.ReceivedSpan> trace, String name) {
        return trace.stream().filter(span -> span.name().equals(name)).findFirst().orElseThrow();
    }

    /** The span's parent, its parent's parent, and so on up to the trace's root. */
    private static List<OtlpTraceReceiver.ReceivedSpan> ancestors(OtlpTraceReceiver.ReceivedSpan span,
                                                                 Map<String, OtlpTraceReceiver.ReceivedSpan> byId) {
        List<OtlpTraceReceiver.ReceivedSpan> up = new ArrayList<>();
        for (var parent = byId.get(span.parentSpanId()); parent != null; parent = byId.get(parent.parentSpanId())) {
            up.add(parent);
        }
        return up;
    }

    @Test
    void aBlastJobRunsFromSubmitToResultsAndMatchesBlastpRunDirectly() throws Exception {
        String alice = stack.token("alice");
        String fasta = Files.readString(QUERIES);
        String body = JSON.writeValueAsString(Map.of(
                "fasta", fasta, "pipeline", "blast", "database", "demo",
                "name", "e2e", "params", Map.of("program", "blastp"), "reuse", false));
        HttpResponse<String> submitted = HTTP.send(jobs.request("/api/v1/jobs", alice)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        JsonNode job = JSON.readTree(submitted.body());
        String id = job.get("id").asText();
        assertThat(job.get("status").asText()).isEqualTo("QUEUED");
        assertThat(job.get("sequenceCount").asInt()).isEqualTo(120);

        List<SseEvent> events = jobs.follow(id, alice);

        assertThat(events).isNotEmpty();
        assertThat(events.getFirst().type()).isEqualTo("snapshot");
        assertThat(outcome(events)).as(describe(events)).isEqualTo("succeeded");
        // after the job's end its artifacts, each announced once it is built, the manifest last, then `end`
        List<SseEvent> afterEnd = events.subList(events.indexOf(terminal(events)) + 1, events.size() - 1);
        assertThat(afterEnd).as(describe(events)).isNotEmpty().allMatch(e -> e.type().equals("artifact"));
        assertThat(afterEnd.getLast().data().get("name").asText()).isEqualTo("manifest.json");
        // each artifact event carries its link: the manifest downloads from it, through the gateway
        HttpResponse<String> manifest = HTTP.send(jobs.request(afterEnd.getLast().data().get("href").asText(), alice)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
        assertThat(JSON.readTree(manifest.body()).get("jobId").asText()).isEqualTo(id);
        assertThat(events.getLast().data().get("finalized").asBoolean()).as(describe(events)).isTrue();
        assertThat(events.stream().map(SseEvent::id).distinct()).hasSameSizeAs(events);
        List<JsonNode> progress = events.stream().filter(e -> e.type().equals("progress")).map(SseEvent::data).toList();
        assertThat(progress).extracting(p -> p.get("total").asInt()).containsOnly(120);
        assertThat(progress).extracting(p -> p.get("done").asInt()).isSorted().contains(120);
        assertThat(events).anyMatch(e -> e.type().equals("log"));

        JsonNode finished = JSON.readTree(jobs.get("/api/v1/jobs/" + id, alice).body());
        assertThat(finished.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(finished.get("steps")).allSatisfy(step -> assertThat(step.get("status").asText()).isEqualTo("completed"));

        jobs.awaitManifest(id, alice);
        HttpResponse<String> hits = jobs.get("/api/v1/jobs/" + id + "/artifacts/hits.tsv", alice);
        assertThat(hits.statusCode()).isEqualTo(200);
        assertThat(hits.body().lines().toList())
                .isNotEmpty()
                .containsExactlyElementsOf(blastpDirectly(QUERIES));
    }

    @Test
    void eachServiceCountsAJobOnItsManagementPortAndServesNoMetricsOnItsOwn() throws Exception {
        Map<String, PrometheusScrape> before = new HashMap<>();
        for (String service : AegisStack.SERVICES) {
            before.put(service, PrometheusScrape.of(stack.metrics(service)));
        }
        String erin = stack.token("erin");
        String body = JSON.writeValueAsString(Map.of("fasta", ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n",
                "pipeline", "blast", "database", "demo", "name", "metrics", "params", Map.of("program", "blastp"),
                "reuse", false));
        HttpResponse<String> submitted = HTTP.send(jobs.request("/api/v1/jobs", erin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).get("id").asText();
        assertThat(outcome(jobs.follow(id, erin))).isEqualTo("succeeded");
        jobs.awaitManifest(id, erin);

        String[] succeeded = {"outcome", "succeeded", "pipeline", "blast"};
        assertThat(PrometheusScrape.of(stack.metrics("job-service")).valueOrZero("aegis_jobs_finished_total", succeeded))
                .isGreaterThanOrEqualTo(before.get("job-service").valueOrZero("aegis_jobs_finished_total", succeeded) + 1);
        String[] search = {"pipeline", "blast", "step", "search", "outcome", "completed"};
        PrometheusScrape worker = PrometheusScrape.of(stack.metrics("pipeline-worker"));
        assertThat(worker.valueOrZero("aegis_worker_step_duration_seconds_count", search))
                .isGreaterThanOrEqualTo(before.get("pipeline-worker").valueOrZero("aegis_worker_step_duration_seconds_count", search) + 1);
        assertThat(worker.value("aegis_worker_tool_cpu_seconds_total", "program", "blastp", "step", "search")).isPresent();
        assertThat(PrometheusScrape.of(stack.metrics("artifact-service")).valueOrZero("aegis_finalizations_total", "outcome", "done"))
                .isGreaterThanOrEqualTo(before.get("artifact-service").valueOrZero("aegis_finalizations_total", "outcome", "done") + 1);
        assertThat(PrometheusScrape.of(stack.metrics("gateway-service"))
                .sum("http_server_requests_seconds_count", "method", "POST", "uri", "/api/v1/jobs", "status", "202"))
                .isGreaterThanOrEqualTo(1);
        for (String service : AegisStack.SERVICES) {
            HttpResponse<Void> own = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(service) + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(own.statusCode()).as("%s's own port", service).isNotEqualTo(200);
        }
        HttpResponse<Void> publicPort = HTTP.send(HttpRequest.newBuilder(stack.gateway().resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(publicPort.statusCode()).as("the gateway's public port").isEqualTo(404);
    }

    @Test
    void anotherUserCannotSeeOrFollowTheJob() throws Exception {
        String alice = stack.token("alice");
        String bob = stack.token("bob");
        String body = JSON.writeValueAsString(Map.of(
                "fasta", ">one\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n", "database", "demo",
                "params", Map.of("program", "blastp"), "reuse", false));
        HttpResponse<String> submitted = HTTP.send(jobs.request("/api/v1/jobs", alice)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).get("id").asText();

        assertThat(jobs.get("/api/v1/jobs/" + id, bob).statusCode()).isEqualTo(404);
        assertThat(jobs.get("/api/v1/jobs/" + id + "/events", bob).statusCode()).isEqualTo(404);
        assertThat(jobs.get("/api/v1/jobs/" + id, alice).statusCode()).isEqualTo(200);
        assertThat(outcome(jobs.follow(id, alice))).isEqualTo("succeeded");
        assertThat(jobs.get("/api/v1/jobs/" + id + "/artifacts", bob).statusCode()).isEqualTo(404);
    }

    @Test
    void noInternalPortTakesACallerTheGatewayDidNotVouchFor() throws Exception {
        String alice = stack.token("alice");
        String body = JSON.writeValueAsString(Map.of("fasta", ">one\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n",
                "database", "demo", "params", Map.of("program", "blastp"), "reuse", false));
        HttpResponse<String> submitted = HTTP.send(jobs.request("/api/v1/jobs", alice)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String id = JSON.readTree(submitted.body()).get("id").asText();
        assertThat(outcome(jobs.follow(id, alice))).isEqualTo("succeeded");
        // what alice may read through the gateway, asked of each service directly
        Map<String, String> paths = Map.of("job-service", "/api/v1/jobs/" + id,
                "artifact-service", "/api/v1/jobs/" + id + "/artifacts",
                "log-stream-service", "/api/v1/jobs/" + id + "/events",
                "pipeline-worker", "/api/v1/databases");
        for (var service : paths.entrySet()) {
            URI uri = URI.create("http://127.0.0.1:" + stack.port(service.getKey()) + service.getValue());
            assertRefused(uri, "X-Aegis-User", "alice", service.getKey() + ", a bare user header");
            assertRefused(uri, "X-Aegis-Identity", TestCallers.forged("alice"),
                    service.getKey() + ", an identity signed with another key");
            assertRefused(uri, "X-Aegis-Identity", stack.identity("alice", Instant.now().minus(Duration.ofMinutes(5))),
                    service.getKey() + ", an expired identity");
            HttpResponse<InputStream> vouched = HTTP.send(HttpRequest.newBuilder(uri)
                    .header("X-Aegis-Identity", stack.identity("alice", Instant.now())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            vouched.body().close(); // an event stream is not read to its end
            assertThat(vouched.statusCode()).as("%s with an identity the stack signed", service.getKey()).isEqualTo(200);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port(service.getKey())
                    + "/q/health/live")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as("%s's health, for the orchestrator's probes", service.getKey()).isEqualTo(200);
        }
        // the stack's Redis takes no client without its password
        try (Socket redis = new Socket("127.0.0.1", stack.redisPort())) {
            redis.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new BufferedReader(new InputStreamReader(redis.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(answer).as("Redis's answer to an anonymous PING").startsWith("-NOAUTH");
        }
        // and the internal ports are not on any other interface of this machine
        for (InetAddress address : nonLoopbackAddresses()) {
            for (String service : paths.keySet()) {
                try (Socket socket = new Socket()) {
                    assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, stack.port(service)), 2000))
                            .as("%s on %s", service, address).isInstanceOf(IOException.class);
                }
            }
        }
    }

    private static void assertRefused(URI uri, String header, String value, String what) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri).header(header, value)
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(what).isEqualTo(401);
        assertThat(JSON.readTree(answer.body()).path("code").asText()).as(what).isEqualTo("UNAUTHENTICATED");
    }

    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress()).toList();
    }

    @Test
    void aUserFloodingTheQueueIsCappedAndAnotherUsersJobStillStartsWithinSeconds() throws Exception {
        String carol = stack.token("carol");
        String dave = stack.token("dave");
        List<String> carols = new ArrayList<>();
        List<HttpResponse<String>> refused = new ArrayList<>();
        // more than carol may have unfinished: a few of her first may end while she submits, the rest are refused;
        // each searches a few dozen queries, so that her jobs end more slowly than she submits them, however
        // busy the machine is (one-query jobs can end as fast as a loaded machine takes their submits)
        String queries = Files.readString(firstSequences(DATABASE, FLOOD_QUERIES));
        for (int i = 0; i < AegisStack.ACTIVE_PER_USER + 6; i++) {
            HttpResponse<String> answer = submit(carol, queries.replace(">", ">flood" + i + "-"));
            if (answer.statusCode() == 202) {
                carols.add(JSON.readTree(answer.body()).get("id").asText());
            } else {
                refused.add(answer);
            }
        }
        assertThat(refused).as("submits past %d unfinished jobs", AegisStack.ACTIVE_PER_USER).isNotEmpty()
                .allSatisfy(over -> {
                    assertThat(over.statusCode()).as(over.body()).isEqualTo(429);
                    assertThat(JSON.readTree(over.body()).get("code").asText()).isEqualTo("TOO_MANY_ACTIVE_JOBS");
                    assertThat(over.headers().firstValue("Retry-After")).isPresent();
                });

        long startedBefore = startedBefore(carols, carol, Instant.now());
        long submitted = System.nanoTime();
        HttpResponse<String> daves = submit(dave, ">dave\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n");
        String id = JSON.readTree(daves.body()).get("id").asText();
        assertThat(outcome(jobs.follow(id, dave))).isEqualTo("succeeded");
        Duration waited = Duration.ofNanos(System.nanoTime() - submitted);
        Instant daveStarted = Instant.parse(JSON.readTree(jobs.get("/api/v1/jobs/" + id, dave).body()).get("startedAt").asText());
        long ahead = startedBefore(carols, carol, daveStarted) - startedBefore;
        System.out.printf("Fairness: dave's one job, submitted while %d of carol's %d jobs waited, succeeded %d ms after "
                + "its submit; %d of carol's started before it (first in, first out: all %d)%n",
                carols.size() - startedBefore, carols.size(), waited.toMillis(), ahead, carols.size() - startedBefore);
        // carol has two jobs with the workers at a time; the request topic's partitions are read in no set
        // order, so one or two more of hers may be taken first, but never her backlog (first in, first out)
        assertThat(ahead).isLessThanOrEqualTo((carols.size() - startedBefore) / 2);
        for (String carolsJob : carols) {
            HTTP.send(jobs.request("/api/v1/jobs/" + carolsJob + "/cancel", carol).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void submitsPastTheRateLimitAreRefusedWithRetryAfterAndAnotherUserIsNotLimited() throws Exception {
        String erin = stack.token("erin");
        // refused submits count as well: the limit spares the gateway's own work too. A user may send
        // the whole allowance at once, and one more for each period that passed while sending it.
        long started = System.nanoTime();
        int counted = 0;
        HttpResponse<String> limited = submitTo("no-such-database", erin, ">e\nMKTAYIAK\n");
        while (limited.statusCode() == 400 && counted <= 2 * AegisStack.SUBMITS_PER_MINUTE) {
            counted++;
            limited = submitTo("no-such-database", erin, ">e\nMKTAYIAK\n");
        }
        Duration sending = Duration.ofNanos(System.nanoTime() - started);
        long refilled = sending.toMillis() * AegisStack.SUBMITS_PER_MINUTE / Duration.ofMinutes(1).toMillis();
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(counted).as("submits counted before the limit, %s ms of sending", sending.toMillis())
                .isBetween(AegisStack.SUBMITS_PER_MINUTE, AegisStack.SUBMITS_PER_MINUTE + (int) refilled + 1);
        assertThat(JSON.readTree(limited.body()).get("code").asText()).isEqualTo("RATE_LIMITED");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(submitTo("no-such-database", stack.token("bob"), ">b\nMKTAYIAK\n").statusCode())
                .as("another user's submit").isEqualTo(400);
    }

    /** How many of the jobs had started before {@code at}. */
    private long startedBefore(List<String> ids, String token, Instant at) throws Exception {
        long started = 0;
        for (String id : ids) {
            JsonNode job = JSON.readTree(jobs.get("/api/v1/jobs/" + id, token).body());
            if (job.hasNonNull("startedAt") && Instant.parse(job.get("startedAt").asText()).isBefore(at)) {
                started++;
            }
        }
        return started;
    }

    private HttpResponse<String> submit(String token, String fasta) throws Exception {
        return submitTo("demo", token, fasta);
    }

    private HttpResponse<String> submitTo(String database, String token, String fasta) throws Exception {
        String body = JSON.writeValueAsString(Map.of("fasta", fasta, "database", database,
                "params", Map.of("program", "blastp"), "reuse", false));
        return HTTP.send(jobs.request("/api/v1/jobs", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRunningJobIsCancelledTheWorkerStopsAndTheStreamEndsCancelled() throws Exception {
        String alice = stack.token("alice");
        String id = jobs.submit(alice, Map.of("fasta", Files.readString(DATABASE), "database", "demo", "name", "big",
                "reuse", false)).get("id").asText();
        jobs.awaitJob(id, alice, job -> "search".equals(job.path("step").asText()), Duration.ofSeconds(60));

        HttpResponse<String> cancelled = jobs.post("/api/v1/jobs/" + id + "/cancel", alice);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isIn(200, 202);
        List<SseEvent> events = jobs.follow(id, alice);
        assertThat(outcome(events)).as(describe(events)).isEqualTo("cancelled");
        JsonNode job = JSON.readTree(jobs.get("/api/v1/jobs/" + id, alice).body());
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(jobs.post("/api/v1/jobs/" + id + "/cancel", alice).statusCode()).isEqualTo(200);
        assertThat(jobs.post("/api/v1/jobs/" + id + "/cancel", stack.token("bob")).statusCode()).isEqualTo(404);
    }

    /**
     * A tool that crashes on one batch's input fails the job, the batch named in its error. Once the
     * cause is gone its owner retries it: the next attempt takes every batch the failed one finished
     * from its checkpoints, searches only the rest, and its hits are exactly those of {@code blastp}
     * run directly. Retry is refused for the job while it runs and once it succeeded (409, its state
     * named), and to another user (404, as any request about the job).
     *
     * <p>The job runs the worker's test pipeline {@code unsteady} ({@link AegisStack#PIPELINES}):
     * {@code blastp} with the blast pipeline's columns, except that its tool crashes on a batch while
     * a file {@code <store>/crash-on/<job>-<batch file>} marks it. The first {@value #RETRIED_QUERIES}
     * sequences of the example database as queries make half a dozen batches.
     */
    @Test
    void aJobFailedOnOneBatchIsRetriedReusingEveryBatchItFinishedWhileARunningSucceededOrAnotherUsersJobIsNot()
            throws Exception {
        String alice = stack.token("alice");
        String bob = stack.token("bob");
        Path queries = firstSequences(DATABASE, RETRIED_QUERIES);
        JsonNode submitted = jobs.submit(alice, Map.of("fasta", Files.readString(queries), "pipeline", "unsteady",
                "database", "demo", "name", "unsteady", "reuse", false));
        String id = submitted.get("id").asText();
        // The job's id comes with the 202, so its batch is marked right after it. A batch holds at most
        // BATCH_RESIDUES residues and no query is split, so the job makes at least this many batches:
        // the one marked, the last of them, exists whatever the worker's concurrency. Its tool starts
        // only once the worker has taken the job, split it and searched all but the last few of the
        // others (the last one of all with two at a time), seconds after the marker is there.
        int crashing = Math.toIntExact(Math.ceilDiv(submitted.get("residueCount").asLong(), AegisStack.BATCH_RESIDUES));
        String crashingFile = String.format("batch-%04d.fa", crashing - 1);
        Path marker = Files.createDirectories(stack.store().resolve("crash-on")).resolve(id + "-" + crashingFile);
        Files.writeString(marker, "");

        JsonNode searching = jobs.awaitJob(id, alice, job -> isEnded(job) || "search".equals(job.path("step").asText()),
                Duration.ofSeconds(60));
        assertThat(searching.get("status").asText()).as("%s", searching).isEqualTo("RUNNING");
        assertNotRetried(jobs.post(retryOf(id), alice), "RUNNING");
        assertThat(jobs.post(retryOf(id), bob).statusCode()).as("bob retrying alice's running job").isEqualTo(404);

        JsonNode failed = jobs.awaitJob(id, alice, BlastJobIT::isEnded, Duration.ofSeconds(240));
        assertThat(failed.get("status").asText()).as("%s", failed).isEqualTo("FAILED");
        assertThat(failed.get("errorCode").asText()).isEqualTo("TOOL_FAILED");
        String error = failed.get("error").asText();
        Matcher named = Pattern.compile(Pattern.quote("sh exited with 139 (segmentation fault) on batch " + crashing + "/")
                + "(\\d+)" + Pattern.quote(": crashing on " + crashingFile)).matcher(error);
        assertThat(named.matches()).as("the error names the batch: %s", error).isTrue();
        int batches = Integer.parseInt(named.group(1));
        assertThat(jobs.post(retryOf(id), bob).statusCode()).as("bob retrying alice's failed job").isEqualTo(404);

        // the cause removed, the owner retries it
        Files.delete(marker);
        Set<Integer> finishedByFirst = checkpointed(id);
        assertThat(finishedByFirst).as("the batches attempt 1 finished, of %d", batches).isNotEmpty()
                .doesNotContain(crashing);
        HttpResponse<String> retried = jobs.post(retryOf(id), alice);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
        JsonNode again = JSON.readTree(retried.body());
        assertThat(again.get("status").asText()).isEqualTo("QUEUED");
        assertThat(again.get("attempt").asInt()).isEqualTo(2);
        assertThat(again.get("earlierAttempts")).singleElement().satisfies(earlier -> {
            assertThat(earlier.get("attempt").asInt()).isEqualTo(1);
            assertThat(earlier.get("status").asText()).isEqualTo("FAILED");
            assertThat(earlier.get("errorCode").asText()).isEqualTo("TOOL_FAILED");
            assertThat(earlier.get("error").asText()).isEqualTo(error);
            assertThat(earlier.get("endedBy").asText()).isEqualTo("retried");
        });

        JsonNode job = jobs.awaitJob(id, alice, j -> j.path("attempt").asInt() == 2 && isEnded(j), Duration.ofSeconds(240));
        assertThat(job.get("status").asText()).as("%s", job).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asInt()).isEqualTo(submitted.get("sequenceCount").asInt());
        assertThat(job.get("steps")).allSatisfy(step -> assertThat(step.get("status").asText()).isEqualTo("completed"));
        // attempt 2 took every batch attempt 1 finished (as many as it kept, and it can take no other)
        // and searched the rest, the crashed one among them
        String split = step(job, "split").get("lastOutput").asText();
        Matcher reusedOf = SPLIT_REUSING.matcher(split);
        assertThat(reusedOf.find()).as("the split of attempt 2: %s", split).isTrue();
        assertThat(Integer.parseInt(reusedOf.group(1))).as("the split of attempt 2: %s", split).isEqualTo(batches);
        assertThat(Integer.parseInt(reusedOf.group(2))).as("the split of attempt 2: %s", split)
                .isEqualTo(finishedByFirst.size());

        Duration searchedFirst = Duration.between(Instant.parse(step(failed, "search").get("startedAt").asText()),
                Instant.parse(failed.get("finishedAt").asText()));
        Duration searchedSecond = Duration.ofMillis(step(job, "search").get("durationMs").asLong());
        System.out.printf("Retry: attempt 1 failed on batch %d/%d after searching %d ms (%d batches finished); "
                + "attempt 2 reused them and searched the other %d in %d ms%n", crashing, batches,
                searchedFirst.toMillis(), finishedByFirst.size(), batches - finishedByFirst.size(),
                searchedSecond.toMillis());
        // attempt 1 searched all but the last batch or two before the crash: searching every batch again
        // would take longer than it did, the batches left take a fraction of it
        assertThat(searchedSecond).as("attempt 2's search, against attempt 1's (%d ms)", searchedFirst.toMillis())
                .isLessThan(searchedFirst);

        jobs.awaitArtifact(id, alice, "hits.tsv");
        HttpResponse<String> hits = jobs.get("/api/v1/jobs/" + id + "/artifacts/hits.tsv", alice);
        assertThat(hits.statusCode()).isEqualTo(200);
        assertThat(hits.body().lines().toList()).isNotEmpty().containsExactlyElementsOf(blastpDirectly(queries));

        assertNotRetried(jobs.post(retryOf(id), alice), "SUCCEEDED");
        assertThat(jobs.job(id, alice).get("attempt").asInt()).isEqualTo(2);
    }

    /** The first {@code count} sequences of a FASTA file, in a file of their own under target/. */
    private static Path firstSequences(Path fasta, int count) throws IOException {
        StringBuilder first = new StringBuilder();
        int seen = 0;
        for (String line : Files.readAllLines(fasta)) {
            if (line.startsWith(">") && ++seen > count) {
                break;
            }
            first.append(line).append('\n');
        }
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        return Files.writeString(target.resolve("first-" + count + ".fasta"), first.toString());
    }

    private static String retryOf(String id) {
        return "/api/v1/jobs/" + id + "/retry";
    }

    /** Retry refused because of the job's state, which the problem names. */
    private static void assertNotRetried(HttpResponse<String> answer, String jobStatus) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("code").asText()).isEqualTo("JOB_NOT_RETRYABLE");
        assertThat(problem.get("jobStatus").asText()).isEqualTo(jobStatus);
    }

    /**
     * The batches (numbered from 1) the job's attempts finished and kept in the store for a later
     * attempt: those with a checkpoint ({@code batch-NNNN.json}, NNNN counted from 0).
     */
    private static Set<Integer> checkpointed(String id) throws IOException {
        try (Stream<Path> files = Files.list(new StoreLayout(stack.store()).checkpoints(UUID.fromString(id)))) {
            return files.map(file -> CHECKPOINT.matcher(file.getFileName().toString())).filter(Matcher::matches)
                    .map(kept -> Integer.parseInt(kept.group(1)) + 1).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * The worker is killed during the last batches of a many-batch job (the whole example database as
     * queries: about two dozen batches with the worker's defaults). The next attempt takes every batch
     * the killed one finished from its checkpoints and searches only the rest, so its search takes a
     * fraction of the killed attempt's, and the merged hits are still exactly those of {@code blastp}
     * run directly. A client follows the job throughout: its stream tells which batches each attempt
     * finished, reused and searched.
     */
    @Test
    @Tag(RECOVERY)
    void aJobWhoseWorkerIsKilledRunsAgainWithinFifteenSecondsOnAnotherAttemptAndSucceeds() throws Exception {
        String alice = stack.token("alice");
        String id = jobs.submit(alice, Map.of("fasta", Files.readString(DATABASE), "database", "demo", "name", "survivor",
                "reuse", false)).get("id").asText();
        CompletableFuture<List<SseEvent>> followed = CompletableFuture.supplyAsync(() -> {
            try {
                return jobs.follow(id, alice);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        JsonNode searching = jobs.awaitJob(id, alice, job -> isEnded(job) || isMostlyDone(job.path("progress")),
                Duration.ofSeconds(120));
        int doneAtKill = searching.get("progress").get("done").asInt();
        int total = searching.get("progress").get("total").asInt();
        assertThat(searching.get("step").asText()).as("the job when the worker is killed: %s", searching).isEqualTo("search");
        assertThat(doneAtKill).as("the job had not searched everything when the worker was killed: %s", searching)
                .isLessThan(total);
        Instant searchStarted = Instant.parse(step(searching, "search").get("startedAt").asText());

        // killed, and started again at once under the same name, as Kubernetes restarts a killed
        // container in its pod: the job is noticed lost by its silence, not by the restart
        Instant killedAt = Instant.now();
        long killed = System.nanoTime();
        stack.kill("pipeline-worker");
        stack.restart("pipeline-worker");
        Duration restart = since(killed);
        jobs.awaitJob(id, alice, job -> job.path("attempt").asInt() == 2 && job.path("status").asText().equals("RUNNING"),
                Duration.ofSeconds(60));
        Duration runningAgain = since(killed);
        System.out.printf("Recovery: the worker killed mid-job was up again %d ms after the kill; its job ran again "
                + "(attempt 2) %d ms after the kill%n", restart.toMillis(), runningAgain.toMillis());
        assertThat(runningAgain).as("from the kill to the job running again").isLessThanOrEqualTo(RUNNING_AGAIN_WITHIN);

        JsonNode job = jobs.awaitJob(id, alice, j -> j.path("status").asText().equals("SUCCEEDED"), Duration.ofSeconds(240));
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
        assertThat(job.get("progress").get("done").asInt()).isEqualTo(2000);
        assertThat(job.get("steps")).allSatisfy(step -> assertThat(step.get("status").asText()).isEqualTo("completed"));

        // attempt 2 took every batch attempt 1 finished and searched only the others
        String split = step(job, "split").get("lastOutput").asText();
        Matcher reusedOf = SPLIT_REUSING.matcher(split);
        assertThat(reusedOf.find()).as("the split of attempt 2: %s", split).isTrue();
        int reused = Integer.parseInt(reusedOf.group(2));
        int batches = Integer.parseInt(reusedOf.group(1));
        List<SseEvent> events = followed.get(60, TimeUnit.SECONDS);
        assertThat(events).extracting(SseEvent::type).as(describe(events)).doesNotContain("gap", "dropped");
        Set<Integer> finishedByFirst = batchesSaid(events, 1, "progress", "message", BATCH_DONE);
        Set<Integer> reusedBySecond = batchesSaid(events, 2, "log", "line", BATCH_REUSED);
        Set<Integer> searchedBySecond = batchesSaid(events, 2, "log", "line", BATCH_SEARCHED);
        assertThat(events).filteredOn(e -> e.type().equals("progress") && e.data().path("attempt").asInt() == 1)
                .extracting(e -> e.data().path("done").asInt())
                .as("attempt 1's progress as its stream told it, %d queries done when the worker was killed", doneAtKill)
                .contains(doneAtKill);
        assertThat(finishedByFirst).as("the batches attempt 1 finished before the kill").isNotEmpty();
        assertThat(reusedBySecond).as("the batches attempt 2 reused").hasSize(reused).containsAll(finishedByFirst);
        assertThat(searchedBySecond).as("the batches attempt 2 searched").hasSize(batches - reused)
                .doesNotContainAnyElementsOf(reusedBySecond);
        assertThat(union(reusedBySecond, searchedBySecond)).as("every batch, reused or searched")
                .isEqualTo(IntStream.rangeClosed(1, batches).boxed().collect(Collectors.toSet()));

        // timed: the re-attempt searched what was left, not the whole job again
        Duration searchedFirst = Duration.between(searchStarted, killedAt);
        Duration searchedSecond = Duration.ofMillis(step(job, "search").get("durationMs").asLong());
        System.out.printf("Recovery: attempt 1 searched for %d ms before the kill (%d of %d queries, %d of %d batches "
                + "done); attempt 2 reused %d and searched the %d unfinished batches of %d in %d ms%n",
                searchedFirst.toMillis(), doneAtKill, total, finishedByFirst.size(), batches, reused,
                batches - reused, batches, searchedSecond.toMillis());
        // at the kill at least three quarters of the queries were searched, so what is left, the batches in
        // flight included, is about a third of that work; searching everything again would take longer
        // than attempt 1 had searched
        assertThat(searchedSecond).as("attempt 2's search, against attempt 1's until the kill (%d ms)",
                searchedFirst.toMillis()).isLessThan(searchedFirst.dividedBy(2));

        jobs.awaitManifest(id, alice);
        HttpResponse<String> hits = jobs.get("/api/v1/jobs/" + id + "/artifacts/hits.tsv", alice);
        assertThat(hits.statusCode()).isEqualTo(200);
        assertThat(hits.body().lines().toList()).isNotEmpty().containsExactlyElementsOf(blastpDirectly(DATABASE));
    }

    /** Whether at least {@link #KILLED_WHEN_DONE} of the job's queries were searched. */
    private static boolean isMostlyDone(JsonNode progress) {
        int total = progress.path("total").asInt();
        return total > 0 && progress.path("done").asInt() >= KILLED_WHEN_DONE * total;
    }

    private static boolean isEnded(JsonNode job) {
        return Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.path("status").asText());
    }

    /** The job's step {@code key} as the API shows it. */
    private static JsonNode step(JsonNode job, String key) {
        for (JsonNode step : job.get("steps")) {
            if (step.get("key").asText().equals(key)) {
                return step;
            }
        }
        throw new AssertionError("The job has no step " + key + ": " + job);
    }

    /**
     * The batches (numbered from 1) that the stream's events of {@code type} from {@code attempt} name,
     * their {@code field} read by {@code said}: which batches an attempt finished, reused or searched.
     */
    private static Set<Integer> batchesSaid(List<SseEvent> events, int attempt, String type, String field, Pattern said) {
        Set<Integer> batches = new TreeSet<>();
        for (SseEvent event : events) {
            if (event.type().equals(type) && event.data().path("attempt").asInt() == attempt) {
                Matcher matcher = said.matcher(event.data().path(field).asText());
                if (matcher.find()) {
                    batches.add(Integer.parseInt(matcher.group(1)));
                }
            }
        }
        return batches;
    }

    private static Set<Integer> union(Set<Integer> some, Set<Integer> others) {
        Set<Integer> all = new TreeSet<>(some);
        all.addAll(others);
        return all;
    }

    @Test
    @Tag(RECOVERY)
    void jobServiceKilledMidJobAppliesProgressAgainWithinTenSecondsOfItsRestartAndLosesNoAttempt() throws Exception {
        String alice = stack.token("alice");
        String id = jobs.submit(alice, Map.of("fasta", Files.readString(DATABASE), "database", "demo", "name", "steady",
                "reuse", false)).get("id").asText();
        jobs.awaitJob(id, alice, job -> "search".equals(job.path("step").asText()), Duration.ofSeconds(60));

        long killed = System.nanoTime();
        stack.kill("job-service");
        stack.restart("job-service");
        long ready = System.nanoTime();
        Instant readyAt = Instant.now();
        // back to work: a heartbeat the worker sent after the restart is applied to the job (the
        // progress consumer has its partitions again, it did not wait out the killed process's session)
        jobs.awaitJob(id, alice, job -> job.hasNonNull("lastHeartbeatAt")
                && Instant.parse(job.get("lastHeartbeatAt").asText()).isAfter(readyAt), Duration.ofSeconds(60));
        Duration back = since(ready);
        System.out.printf("Recovery: job-service killed mid-job was ready %d ms after the kill and applied the "
                + "worker's progress again %d ms after it was ready%n",
                Duration.ofNanos(ready - killed).toMillis(), back.toMillis());
        assertThat(back).as("from job-service ready again to its applying progress").isLessThanOrEqualTo(BACK_WITHIN);

        // the worker never stopped: its job is not taken for lost, it finishes on its first attempt
        JsonNode job = jobs.awaitJob(id, alice, j -> j.path("status").asText().equals("SUCCEEDED"), Duration.ofSeconds(240));
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("progress").get("done").asInt()).isEqualTo(2000);
    }

    @Test
    @Tag(RECOVERY)
    void artifactServiceKilledBuildsAJobThatFinishedMeanwhileWithinTenSecondsOfItsRestart() throws Exception {
        String alice = stack.token("alice");
        stack.kill("artifact-service");
        String id = jobs.submit(alice, Map.of("fasta", ">meanwhile\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n", "database", "demo",
                "reuse", false)).get("id").asText();
        // its state, not its event stream: the stream waits for the artifacts, which nobody builds yet
        jobs.awaitJob(id, alice, job -> job.path("status").asText().equals("SUCCEEDED"), Duration.ofSeconds(60));

        long restarting = System.nanoTime();
        stack.restart("artifact-service");
        long ready = System.nanoTime();
        // back to work: it reads the finished job's state from Kafka and builds its artifacts
        jobs.awaitManifest(id, alice);
        Duration back = since(ready);
        System.out.printf("Recovery: artifact-service killed was ready %d ms after its restart began and had built "
                + "the artifacts of a job that finished meanwhile %d ms after it was ready%n",
                Duration.ofNanos(ready - restarting).toMillis(), back.toMillis());
        assertThat(back).as("from artifact-service ready again to the job's manifest").isLessThanOrEqualTo(BACK_WITHIN);
        assertThat(jobs.get("/api/v1/jobs/" + id + "/artifacts/hits.tsv", alice).statusCode()).isEqualTo(200);
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    @Test
    @Tag(RECOVERY)
    void aClientResumesWithoutLossWhenLogStreamServiceRestartsMidJob() throws Exception {
        String alice = stack.token("alice");
        String id = jobs.submit(alice, Map.of("fasta", Files.readString(DATABASE), "database", "demo", "name", "watched",
                "reuse", false)).get("id").asText();
        URI events = stack.gateway().resolve("/api/v1/jobs/" + id + "/events");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + alice);

        List<SseEvent> seen = new ArrayList<>();
        try (SseClient.Connection first = SseClient.open(events, auth)) {
            assertThat(first.status()).isEqualTo(200);
            while (seen.stream().filter(e -> e.type().equals("progress")).count() < 2) {
                SseClient.Event event = first.next();
                assertThat(event).as("the stream ended before the job made progress: %s", describe(seen)).isNotNull();
                seen.add(parsed(event));
            }
            stack.kill("log-stream-service");
            drain(first, seen);
        }
        stack.restart("log-stream-service");
        // as the web app resumes: a new EventSource with a fresh single-use ticket and the last id in the URL
        HttpResponse<String> issued = jobs.post("/api/v1/jobs/" + id + "/stream-ticket", alice);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String ticket = JSON.readTree(issued.body()).get("ticket").asText();
        URI resume = URI.create(events + "?ticket=" + ticket + "&lastEventId=" + seen.getLast().id());
        try (SseClient.Connection second = SseClient.open(resume, Map.of())) {
            assertThat(second.status()).isEqualTo(200);
            drain(second, seen);
        }
        try (SseClient.Connection reused = SseClient.open(resume, Map.of())) {
            assertThat(reused.status()).as("a ticket opens one stream only").isEqualTo(401);
        }

        List<SseEvent> received = seen.stream().filter(e -> !e.type().equals("snapshot")).toList();
        assertThat(received).extracting(SseEvent::type).doesNotContain("gap", "dropped");
        assertThat(outcome(received)).as(describe(received)).isEqualTo("succeeded");
        assertThat(received).extracting(SseEvent::id).doesNotHaveDuplicates();
        List<JsonNode> progress = received.stream().filter(e -> e.type().equals("progress")).map(SseEvent::data).toList();
        assertThat(progress).extracting(p -> p.get("done").asInt()).isSorted().contains(2000);

        // the replay buffer holds every event once: what the client saw is exactly what it holds
        String firstId = received.getFirst().id();
        List<SseEvent> replay = new ArrayList<>();
        try (SseClient.Connection again = SseClient.open(events, Map.of(
                "Authorization", "Bearer " + alice, "Last-Event-ID", firstId))) {
            drain(again, replay);
        }
        assertThat(replay.stream().filter(e -> !e.type().equals("snapshot")).map(SseEvent::id))
                .containsExactlyElementsOf(received.stream().skip(1).map(SseEvent::id).toList());
    }

    @Test
    void anIdenticalJobReusesTheSameUsersEarlierResultNeverAnotherUsersAndHistoryFindsEach() throws Exception {
        String alice = stack.token("alice");
        String bob = stack.token("bob");
        String fasta = ">unique\n" + randomProtein(60) + "\n";
        Map<String, Object> job = Map.of("fasta", fasta, "database", "demo", "name", "reuse-" + UUID.randomUUID());
        String first = jobs.submit(alice, job).get("id").asText();
        assertThat(outcome(jobs.follow(first, alice))).isEqualTo("succeeded");

        JsonNode reused = jobs.submit(alice, job);
        assertThat(reused.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(reused.get("reusedFrom").asText()).isEqualTo(first);
        String second = reused.get("id").asText();
        jobs.awaitManifest(first, alice);
        jobs.awaitManifest(second, alice);
        assertThat(jobs.get("/api/v1/jobs/" + second + "/artifacts/hits.tsv", alice).body())
                .isEqualTo(jobs.get("/api/v1/jobs/" + first + "/artifacts/hits.tsv", alice).body());

        // bob's identical job runs on its own: nothing of alice's job reaches him
        JsonNode bobs = jobs.submit(bob, job);
        assertThat(bobs.path("reusedFrom").isNull() || bobs.path("reusedFrom").isMissingNode())
                .as("bob's job names no earlier job: %s", bobs).isTrue();
        String third = bobs.get("id").asText();
        assertThat(outcome(jobs.follow(third, bob))).isEqualTo("succeeded");
        jobs.awaitManifest(third, bob);
        assertThat(jobs.get("/api/v1/jobs/" + third + "/artifacts/hits.tsv", bob).body())
                .isEqualTo(jobs.get("/api/v1/jobs/" + first + "/artifacts/hits.tsv", alice).body());

        JsonNode bobsHistory = JSON.readTree(jobs.get("/api/v1/jobs?limit=5&q=" + job.get("name"), bob).body());
        assertThat(bobsHistory.get("items")).extracting(item -> item.get("id").asText()).containsExactly(third);
        JsonNode alicesHistory = JSON.readTree(jobs.get("/api/v1/jobs?limit=5&q=" + job.get("name"), alice).body());
        assertThat(alicesHistory.get("items")).extracting(item -> item.get("id").asText()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void badInputGetsAProblemWithAStableCode() throws Exception {
        String alice = stack.token("alice");
        String body = JSON.writeValueAsString(Map.of(
                "fasta", ">dna\nACGTACGTACGTACGTACGTACGTACGT\n", "database", "demo",
                "params", Map.of("program", "blastp")));
        HttpResponse<String> rejected = HTTP.send(jobs.request("/api/v1/jobs", alice)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(rejected.body()).get("code").asText()).isEqualTo("ALPHABET_MISMATCH");

        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(stack.gateway().resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private static String randomProtein(int length) {
        String alphabet = "ACDEFGHIKLMNPQRSTVWY";
        java.util.Random random = new java.util.Random();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
