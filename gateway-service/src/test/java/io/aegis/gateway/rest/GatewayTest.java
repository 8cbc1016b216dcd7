package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.EventJson;
import io.aegis.gateway.service.DatabaseCatalog;
import io.aegis.gateway.service.Identity;
import io.aegis.testing.RedisServerResource;
import io.aegis.testing.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class GatewayTest {

    private static final String FASTA = ">q1\nMKTAYIAKQRQISFVKSHFSRQ\n>q2\nMSTNPKPQRKTKRNTNRRPQDV\n";

    @Inject
    Identity identity;

    @Inject
    DatabaseCatalog catalog;

    @TestHTTPResource("/")
    URI root;

    private String token(String user) {
        return identity.tokens().orElseThrow().issue(user, Duration.ofMinutes(5), Instant.now());
    }

    @BeforeEach
    void forget() {
        BackendStandIn.SEEN.clear();
    }

    private long submissionsSeen() {
        return BackendStandIn.SEEN.stream().filter(s -> s.method().equals("POST")).count();
    }

    /** The Location names the job at the gateway, never job-service's own address (the stand-in answers with one). */
    @Test
    void aValidJsonSubmitIsPassedToJobServiceAsTheCaller() {
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON)
                .body(Map.of("fasta", FASTA, "database", "demo", "params", Map.of("program", "blastp"),
                        "name", "two", "colour", "ignored"))
                .post("/api/v1/jobs")
                .then().statusCode(202).header("Location", "/api/v1/jobs/j1").body("status", equalTo("QUEUED"));

        BackendStandIn.Seen seen = BackendStandIn.SEEN.stream().filter(s -> s.method().equals("POST")).findFirst().orElseThrow();
        assertThat(seen.user()).isEqualTo("alice");
        JobSubmission submission = EventJson.decode(seen.body(), JobSubmission.class);
        assertThat(submission.sequenceCount()).isEqualTo(2);
        assertThat(submission.database()).isEqualTo("demo");
        assertThat(submission.name()).isEqualTo("two");
        assertThat(submission.databaseVersion()).as("the version result reuse matches on").isEqualTo("v1");
    }

    @Test
    void aMultipartSubmitKeepsTheFileName() {
        given().auth().oauth2(token("bob")).multiPart("file", "my queries.fasta", FASTA.getBytes(), "text/plain")
                .multiPart("database", "demo").multiPart("params", "{\"program\":\"blastp\",\"evalue\":0.001}")
                .post("/api/v1/jobs")
                .then().statusCode(202);
        BackendStandIn.Seen seen = BackendStandIn.SEEN.stream().filter(s -> s.method().equals("POST")).findFirst().orElseThrow();
        JobSubmission submission = EventJson.decode(seen.body(), JobSubmission.class);
        assertThat(seen.user()).isEqualTo("bob");
        assertThat(submission.fileName()).isEqualTo("my queries.fasta");
        assertThat(submission.params()).containsEntry("evalue", 0.001);
    }

    @Test
    void badInputGetsItsProblemAndNothingReachesJobService() {
        Map<String, Map<String, Object>> cases = Map.of(
                "INVALID_FASTA", Map.of("fasta", "hello", "database", "demo"),
                "ALPHABET_MISMATCH", Map.of("fasta", ">d\nACGTACGTACGTACGTTTGA\n", "database", "demo"),
                "INVALID_PARAMETER", Map.of("fasta", FASTA, "database", "demo", "params", Map.of("gap", 1)),
                "UNKNOWN_DATABASE", Map.of("fasta", FASTA, "database", "nr"),
                "UNKNOWN_PIPELINE", Map.of("fasta", FASTA, "database", "demo", "pipeline", "hmmer"));
        cases.forEach((code, body) -> given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo(code)));
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body("{broken")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json");
        assertThat(submissionsSeen()).isZero();
    }

    @Test
    void requestsWithoutAValidTokenAreUnauthenticated() {
        given().get("/api/v1/jobs/j1").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("UNAUTHENTICATED"));
        given().auth().oauth2("forged.token.value").get("/api/v1/jobs/j1").then().statusCode(401);
        given().auth().oauth2(token("mallory")).get("/api/v1/jobs/j1").then().statusCode(401);
        for (String write : List.of("/api/v1/jobs/j1/cancel", "/api/v1/jobs/j1/retry")) {
            given().post(write).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .body("code", equalTo("UNAUTHENTICATED"));
            given().auth().oauth2("forged.token.value").post(write).then().statusCode(401);
        }
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void dotSegmentsInThePathDoNotSkipAuthentication() throws IOException {
        assertThat(rawGet(root, "/app.css/../api/v1/jobs/j1")).startsWith("HTTP/1.1 401");
        assertThat(rawGet(root, "/q/../api/v1/jobs?limit=1")).startsWith("HTTP/1.1 401");
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    /** A GET sent as written: HTTP clients resolve dot segments before sending, a raw socket does not. */
    static String rawGet(URI root, String target) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsPassThroughAsTheCaller() {
        given().auth().oauth2(token("alice")).get("/api/v1/jobs/j1").then().statusCode(200).body("status", equalTo("RUNNING"));
        assertThat(BackendStandIn.SEEN.getFirst().user()).isEqualTo("alice");
        byte[] hits = given().auth().oauth2(token("alice")).get("/api/v1/jobs/j1/artifacts/hits.tsv")
                .then().statusCode(200).header("Content-Disposition", "attachment; filename=\"hits.tsv\"")
                .extract().asByteArray();
        assertThat(hits).isEqualTo(BackendStandIn.HITS);
    }

    @Test
    void resultsAndTheExportPassThroughToArtifactServiceAsTheCaller() {
        given().auth().oauth2(token("alice")).urlEncodingEnabled(false)
                .get("/api/v1/jobs/j1/results/hits?sort=bitscore&query=q%201&limit=5&cursor=c1")
                .then().statusCode(200).body("items[0].qseqid", equalTo("q1")).body("next", equalTo("c2"));
        given().auth().oauth2(token("alice")).get("/api/v1/jobs/j1/results/hits?cursor=stale")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("INVALID_CURSOR"));
        given().auth().oauth2(token("alice")).get("/api/v1/jobs/j1/results/summary")
                .then().statusCode(409).body("code", equalTo("RESULTS_NOT_READY"));
        byte[] zip = given().auth().oauth2(token("alice")).get("/api/v1/jobs/j1/export")
                .then().statusCode(200).contentType("application/zip")
                .header("Content-Disposition", "attachment; filename=\"aegis-j1.zip\"")
                .header("Content-Length", Integer.toString(BackendStandIn.EXPORT.length))
                .extract().asByteArray();
        assertThat(zip).isEqualTo(BackendStandIn.EXPORT);
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::path, BackendStandIn.Seen::query,
                BackendStandIn.Seen::user).containsExactly(
                tuple("/api/v1/jobs/j1/results/hits", "sort=bitscore&query=q%201&limit=5&cursor=c1", "alice"),
                tuple("/api/v1/jobs/j1/results/hits", "cursor=stale", "alice"),
                tuple("/api/v1/jobs/j1/results/summary", null, "alice"),
                tuple("/api/v1/jobs/j1/export", null, "alice"));
        given().get("/api/v1/jobs/j1/export").then().statusCode(401);
    }

    @Test
    void aHitsAlignmentAndTheHitsAsFastaPassThroughToArtifactServiceAsTheCaller() {
        given().auth().oauth2(token("alice")).get("/api/v1/jobs/j1/results/hits/17/alignment?format=text")
                .then().statusCode(200);
        given().auth().oauth2(token("alice")).urlEncodingEnabled(false)
                .get("/api/v1/jobs/j1/results/hits.fasta?region=full&query=q%201&hits=3,17").then().statusCode(200);
        given().auth().oauth2(token("bob")).get("/api/v1/jobs/j1/results/hits.fasta").then().statusCode(200);
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::path, BackendStandIn.Seen::query,
                BackendStandIn.Seen::user).containsExactly(
                tuple("/api/v1/jobs/j1/results/hits/17/alignment", "format=text", "alice"),
                tuple("/api/v1/jobs/j1/results/hits.fasta", "region=full&query=q%201&hits=3,17", "alice"),
                tuple("/api/v1/jobs/j1/results/hits.fasta", null, "bob"));
        given().get("/api/v1/jobs/j1/results/hits.fasta").then().statusCode(401);
        given().get("/api/v1/jobs/j1/results/hits/17/alignment").then().statusCode(401);
        assertThat(BackendStandIn.SEEN).hasSize(3);
    }

    @Test
    void aReadWhoseConnectionTheBackendDropsIsTriedOnceMoreAndAWriteIsNot() {
        BackendStandIn.DROP_NEXT.set(true);
        given().auth().oauth2(token("alice")).get("/api/v1/jobs/j1/results/hits")
                .then().statusCode(200).body("items[0].qseqid", equalTo("q1"));
        for (String write : List.of("/api/v1/jobs/j1/cancel", "/api/v1/jobs/j1/retry")) {
            BackendStandIn.DROP_NEXT.set(true);
            given().auth().oauth2(token("alice")).post(write)
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("code", equalTo("SERVICE_UNAVAILABLE")).header("Retry-After", "5");
            assertThat(BackendStandIn.DROP_NEXT).as(write).isFalse();
        }
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::method, BackendStandIn.Seen::path)
                .containsExactly(tuple("GET", "/api/v1/jobs/j1/results/hits"));
    }

    @Test
    void historyCancelAndRetryReachJobServiceAsTheCallerWithTheQueryIntact() {
        given().auth().oauth2(token("bob")).get("/api/v1/jobs?limit=5&status=RUNNING&q=needle")
                .then().statusCode(200).body("items[0].id", equalTo("j1"));
        given().auth().oauth2(token("bob")).post("/api/v1/jobs/j1/cancel")
                .then().statusCode(202).body("status", equalTo("CANCELLING"));
        given().auth().oauth2(token("bob")).post("/api/v1/jobs/j1/retry")
                .then().statusCode(202).body("status", equalTo("QUEUED")).body("attempt", equalTo(2));
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::method, BackendStandIn.Seen::path,
                BackendStandIn.Seen::query, BackendStandIn.Seen::user).containsExactly(
                tuple("GET", "/api/v1/jobs", "limit=5&status=RUNNING&q=needle", "bob"),
                tuple("POST", "/api/v1/jobs/j1/cancel", null, "bob"),
                tuple("POST", "/api/v1/jobs/j1/retry", null, "bob"));
    }

    @Test
    void eventStreamsArriveEventByEventWithoutBuffering() throws Exception {
        BackendStandIn.lastEvent = new CompletableFuture<>();
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/api/v1/jobs/j1/events"))
                .header("Authorization", "Bearer " + token("alice")).build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body()))) {
            // the first event arrives while the backend still holds the last one back
            assertThat(reader.readLine()).isEqualTo("id: 1");
            assertThat(reader.readLine()).isEqualTo("event: snapshot");
            BackendStandIn.lastEvent.complete(null);
            String rest = reader.lines().reduce("", (a, b) -> a + b + "\n");
            assertThat(rest).contains("event: succeeded");
        }
    }

    @Test
    void fourHundredStreamsAreOpenAtOnceMultiplexedOverHttp2OnAFewConnectionsToLogStreamService() throws Exception {
        // far more than the connections a service gets for requests (64): streams hold theirs for as long as a job runs
        int streams = 400;
        BackendStandIn.lastEvent = new CompletableFuture<>();
        BackendStandIn.STREAMS.clear();
        Map<String, String> alice = Map.of("Authorization", "Bearer " + token("alice"));
        List<SseClient.Connection> open = new ArrayList<>();
        try (ExecutorService viewers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SseClient.Connection>> opening = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                opening.add(viewers.submit(() -> SseClient.open(root.resolve("/api/v1/jobs/j1/events"), alice)));
            }
            for (Future<SseClient.Connection> connection : opening) {
                open.add(connection.get(30, TimeUnit.SECONDS));
            }
            List<Future<SseClient.Event>> firsts = new ArrayList<>();
            for (SseClient.Connection connection : open) {
                firsts.add(viewers.submit(connection::next));
            }
            // every stream has its first event while every other stream is still open: none waits for another to end
            for (Future<SseClient.Event> first : firsts) {
                assertThat(first.get(30, TimeUnit.SECONDS).type()).isEqualTo("snapshot");
            }
            assertThat(BackendStandIn.STREAMS).hasSize(streams)
                    .allSatisfy(seen -> assertThat(seen.version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_2));
            long connections = BackendStandIn.STREAMS.stream().map(BackendStandIn.StreamSeen::connection).distinct().count();
            // a burst opens connections side by side before any has said how many streams it takes; never more than
            // the gateway's cap (100), whatever the number of streams
            assertThat(connections).as("HTTP/2 connections carrying %d streams", streams).isBetween(1L, 100L);
            BackendStandIn.lastEvent.complete(null);
            List<Future<SseClient.Event>> lasts = new ArrayList<>();
            for (SseClient.Connection connection : open) {
                lasts.add(viewers.submit(connection::next));
            }
            for (Future<SseClient.Event> last : lasts) {
                assertThat(last.get(30, TimeUnit.SECONDS).type()).isEqualTo("succeeded");
            }
        } finally {
            open.forEach(SseClient.Connection::close);
        }
    }

    @Test
    void aControlCharacterInAnyPathSegmentIsA400NeverA500() {
        String job = UUID.randomUUID().toString();
        for (String path : List.of("/api/v1/jobs/" + job + "/artifacts/hits%00.tsv", "/api/v1/jobs/" + job + "%0A",
                "/api/v1/databases/demo%0D%0AX-Injected:%201", "/api/v1/jobs/%1B%5B31m/results/hits")) {
            given().urlEncodingEnabled(false).auth().oauth2(token("alice")).get(path)
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("INVALID_PATH"));
        }
    }

    @Test
    void theWebAppIsServedRevalidatedNeverFramedAndRunningOnlyItsOwnFiles() {
        for (String path : List.of("/", "/index.html", "/app.js", "/session.js", "/app.css")) {
            var response = given().get(path).then().statusCode(200).extract();
            assertThat(response.header("Cache-Control")).as(path).isEqualTo("no-cache");
            assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.header("Content-Security-Policy")).as(path)
                    .contains("default-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
        }
        given().get("/").then().contentType(ContentType.HTML);
        given().get("/api/v1/jobs").then().statusCode(401).header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("connect-src 'self';"));
        // no provider configured: the app asks for a pasted token
        given().get("/api/v1/sign-in").then().statusCode(200).body("provider", nullValue());
        assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString())
                .as("the OpenAPI document").contains("/api/v1/sign-in", "/api/v1/me");
    }

    @Test
    void aUserWhoseJobsFillTheirStoreQuotaIsRefusedNewJobsAndSeesWhy() {
        // the test profile gives each user 1,000,000 bytes; artifact-service (the stand-in) counts carol's
        BackendStandIn.USAGE.put("carol", 1_000_000L);
        given().auth().oauth2(token("carol")).contentType(ContentType.JSON)
                .body(Map.of("fasta", FASTA, "database", "demo")).post("/api/v1/jobs")
                .then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("STORE_QUOTA_EXCEEDED"))
                .body("detail", containsString("1000000 bytes of your 1000000-byte store quota"));
        assertThat(submissionsSeen()).as("nothing reached job-service").isZero();

        given().auth().oauth2(token("carol")).get("/api/v1/me").then().statusCode(200)
                .body("user", equalTo("carol")).body("admin", equalTo(false))
                .body("storeBytes", equalTo(1_000_000)).body("storeQuotaBytes", equalTo(1_000_000));
        given().auth().oauth2(token("bob")).get("/api/v1/me").then().statusCode(200)
                .body("storeBytes", equalTo(0)).body("storeQuotaBytes", equalTo(1_000_000));
        // another user's jobs are still taken
        given().auth().oauth2(token("bob")).contentType(ContentType.JSON)
                .body(Map.of("fasta", FASTA, "database", "demo")).post("/api/v1/jobs").then().statusCode(202);
    }

    @Test
    void anotherFrontEndOfTheLabMayCallTheApiFromItsPagesAndNoOtherOriginMay() {
        // the test profile allows https://portal.lab.example (aegis.web.cors-origins)
        given().header("Origin", "https://portal.lab.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .options("/api/v1/jobs")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", "https://portal.lab.example")
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
        given().header("Origin", "https://portal.lab.example").auth().oauth2(token("alice")).get("/api/v1/jobs")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "https://portal.lab.example")
                .header("Vary", containsString("Origin"));
        given().header("Origin", "https://portal.lab.example").get("/api/v1/jobs")
                .then().statusCode(401).header("Access-Control-Allow-Origin", "https://portal.lab.example");

        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/v1/jobs").then().statusCode(403).header("Access-Control-Allow-Origin", nullValue())
                .contentType("application/problem+json").body("code", equalTo("ORIGIN_NOT_ALLOWED"));
        given().header("Origin", "https://evil.example").auth().oauth2(token("alice")).get("/api/v1/jobs")
                .then().header("Access-Control-Allow-Origin", nullValue());
        // a script (no Origin) and the app itself are untouched
        given().auth().oauth2(token("alice")).get("/api/v1/jobs").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    // ------------------------------------------------------------------------ registering databases

    @Test
    void onlyAdministratorsMayRegisterDatabasesAndNothingReachesTheWorkerOtherwise() {
        given().auth().oauth2(token("bob")).contentType(ContentType.JSON).body(Map.of("name", "x", "fasta", FASTA))
                .post("/api/v1/databases")
                .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "fasta", FASTA)).post("/api/v1/databases")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void anAdministratorsRegistrationReachesTheWorkerAsTheCallerWithItsBodyAndQuery() {
        String body = EventJson.encodeToString(Map.of("name", "fresh", "fasta", FASTA));
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/databases?replace=true")
                .then().statusCode(202).header("Location", "/api/v1/databases/fresh").body("state", equalTo("building"));
        given().auth().oauth2(token("bob")).get("/api/v1/databases/fresh").then().statusCode(200)
                .body("state", equalTo("ready"));
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::method, BackendStandIn.Seen::path,
                BackendStandIn.Seen::query, BackendStandIn.Seen::user).containsExactly(
                tuple("POST", "/api/v1/databases", "replace=true", "alice"),
                tuple("GET", "/api/v1/databases/fresh", null, "bob"));
        BackendStandIn.Seen post = BackendStandIn.SEEN.getFirst();
        assertThat(post.body()).isEqualTo(body);
        assertThat(post.contentType()).startsWith("application/json");
    }

    @Test
    void aDatabaseUploadLargerThanAJobsLimitIsStreamedToTheWorker() throws Exception {
        // over the gateway's own 16M body limit: databases are the worker's to limit
        String fasta = ">big\n" + "MKTAYIAKQRQISFVKSHFSRQ\n".repeat(750_000);
        String boundary = "aegis-test-boundary";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nbig\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.fasta\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + fasta + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> response = upload("multipart/form-data; boundary=" + boundary, form.getBytes());
        assertThat(response.statusCode()).isEqualTo(202);
        BackendStandIn.Seen post = BackendStandIn.SEEN.getFirst();
        assertThat(post.contentType()).isEqualTo("multipart/form-data; boundary=" + boundary);
        assertThat(post.body().equals(form)).as("the whole form arrived as sent").isTrue();
    }

    @Test
    void theWorkersRefusalOfAnOversizedUploadReachesTheCaller() throws Exception {
        byte[] fasta = new byte[(int) BackendStandIn.MAX_UPLOAD + 1];
        java.util.Arrays.fill(fasta, (byte) 'M');
        HttpResponse<String> response = upload("application/octet-stream", fasta);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("INPUT_TOO_LARGE");
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::body).containsExactly("(refused unread)");
    }

    /** A large POST to /api/v1/databases as alice (rest-assured is slow with bodies this size). */
    private HttpResponse<String> upload(String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/api/v1/databases"))
                .version(HttpClient.Version.HTTP_1_1).header("Authorization", "Bearer " + token("alice"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aDatabaseRegisteredThroughTheGatewayIsKnownToTheNextSubmit() {
        BackendStandIn.registered = false;
        catalog.invalidate();
        Map<String, Object> job = Map.of("fasta", FASTA, "database", "fresh");
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(job).post("/api/v1/jobs")
                .then().statusCode(400).body("code", equalTo("UNKNOWN_DATABASE"));
        // listed, but still building: not searchable yet
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON)
                .body(Map.of("fasta", FASTA, "database", "growing")).post("/api/v1/jobs")
                .then().statusCode(400).body("code", equalTo("UNKNOWN_DATABASE"));

        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(Map.of("name", "fresh", "fasta", FASTA))
                .post("/api/v1/databases").then().statusCode(202);
        given().auth().oauth2(token("alice")).contentType(ContentType.JSON).body(job).post("/api/v1/jobs")
                .then().statusCode(202);
    }
}
