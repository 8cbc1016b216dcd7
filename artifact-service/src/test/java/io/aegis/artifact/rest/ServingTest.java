package io.aegis.artifact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.artifact.service.JobServiceStandIn;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.StoreLayout;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Serving a finished job: downloads (ranges, gzip, hostile names), hit pages, the summary and the
 * export. The rows and files are laid down here as finalization leaves them.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
class ServingTest {

    private static final List<String> COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<UUID> JOBS = new ArrayList<>();

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;
    @TestHTTPResource("/")
    URI root;

    // ------------------------------------------------------------------ downloads

    @Test
    void aDownloadIsTheFileWithItsTagAndAnyOneRangeOfIt() throws Exception {
        byte[] data = bytes(1000);
        UUID job = job("alice");
        String sha = file(job, "alice", "data.bin", "results/data.bin", "application/octet-stream", data);
        String path = "/api/v1/jobs/" + job + "/artifacts/data.bin";

        HttpResponse<byte[]> full = get(path, "alice");
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(data);
        assertThat(header(full, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(full, "ETag")).isEqualTo("\"" + sha + "\"");
        assertThat(header(full, "Content-Length")).isEqualTo("1000");
        assertThat(header(full, "X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(header(full, "Content-Disposition")).isEqualTo("attachment; filename=\"data.bin\"; filename*=UTF-8''data.bin");

        assertPart(get(path, "alice", "Range", "bytes=100-199"), data, 100, 199);
        assertPart(get(path, "alice", "Range", "bytes=990-"), data, 990, 999);
        assertPart(get(path, "alice", "Range", "bytes=0-"), data, 0, 999);
        assertPart(get(path, "alice", "Range", "bytes=-5"), data, 995, 999);
        assertPart(get(path, "alice", "Range", "bytes=-5000"), data, 0, 999);
        assertPart(get(path, "alice", "Range", "bytes=900-100000"), data, 900, 999);
        assertPart(get(path, "alice", "Range", "bytes=10-19", "If-Range", "\"" + sha + "\""), data, 10, 19);

        for (String range : List.of("bytes=1000-", "bytes=5000-6000", "bytes=-0")) {
            HttpResponse<byte[]> refused = get(path, "alice", "Range", range);
            assertThat(refused.statusCode()).as(range).isEqualTo(416);
            assertThat(header(refused, "Content-Range")).isEqualTo("bytes */1000");
            assertThat(header(refused, "Content-Type")).isEqualTo("application/problem+json");
            assertThat(JsonPath.from(new String(refused.body(), StandardCharsets.UTF_8)).getString("code"))
                    .isEqualTo("RANGE_NOT_SATISFIABLE");
        }

        HttpResponse<byte[]> changed = get(path, "alice", "Range", "bytes=10-19", "If-Range", "\"some-other-version\"");
        assertThat(changed.statusCode()).as("If-Range of another version: all of it").isEqualTo(200);
        assertThat(changed.body()).isEqualTo(data);
        HttpResponse<byte[]> dated = get(path, "alice", "Range", "bytes=10-19", "If-Range", "Wed, 21 Oct 2015 07:28:00 GMT");
        assertThat(dated.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> several = get(path, "alice", "Range", "bytes=0-1,5-6");
        assertThat(several.statusCode()).as("several ranges: all of it").isEqualTo(200);
        assertThat(several.body()).isEqualTo(data);
        HttpResponse<byte[]> garbage = get(path, "alice", "Range", "bytes=banana");
        assertThat(garbage.statusCode()).isEqualTo(200);
    }

    @Test
    void anEmptyFileDownloadsEmptyAndHasNoByteToStartARangeAt() throws Exception {
        UUID job = job("alice");
        file(job, "alice", "empty.txt", "results/empty.txt", "text/plain", new byte[0]);
        String path = "/api/v1/jobs/" + job + "/artifacts/empty.txt";
        HttpResponse<byte[]> full = get(path, "alice");
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEmpty();
        assertThat(get(path, "alice", "Range", "bytes=0-").statusCode()).isEqualTo(416);
        assertThat(get(path, "alice", "Range", "bytes=-10").statusCode()).isEqualTo(200);
    }

    @Test
    void textIsGzippedOnTheWayWhenTheClientTakesItAndGzipFilesAreSentAsTheyAre() throws Exception {
        byte[] tsv = hitLines(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] chunk = gzip("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        UUID job = job("alice");
        String sha = file(job, "alice", "hits.tsv", "results/hits.tsv", "text/tab-separated-values", tsv);
        file(job, "alice", "log-0001.txt.gz", "artifacts/log-0001.txt.gz", "application/gzip", chunk);

        HttpResponse<byte[]> zipped = get("/api/v1/jobs/" + job + "/artifacts/hits.tsv", "alice", "Accept-Encoding", "gzip");
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(header(zipped, "Content-Encoding")).isEqualTo("gzip");
        assertThat(header(zipped, "Vary")).isEqualTo("Accept-Encoding");
        assertThat(header(zipped, "ETag")).isNotEqualTo("\"" + sha + "\"");
        assertThat(zipped.body().length).isLessThan(tsv.length / 2);
        assertThat(gunzip(zipped.body())).isEqualTo(tsv);

        HttpResponse<byte[]> plain = get("/api/v1/jobs/" + job + "/artifacts/hits.tsv", "alice", "Accept-Encoding", "identity");
        assertThat(header(plain, "Content-Encoding")).isNull();
        assertThat(plain.body()).isEqualTo(tsv);
        HttpResponse<byte[]> part = get("/api/v1/jobs/" + job + "/artifacts/hits.tsv", "alice",
                "Accept-Encoding", "gzip", "Range", "bytes=0-9");
        assertThat(part.statusCode()).as("a range is of the file's own bytes").isEqualTo(206);
        assertThat(header(part, "Content-Encoding")).isNull();
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOf(tsv, 10));

        HttpResponse<byte[]> log = get("/api/v1/jobs/" + job + "/artifacts/log-0001.txt.gz", "alice", "Accept-Encoding", "gzip");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(header(log, "Content-Encoding")).isNull();
        assertThat(header(log, "Content-Type")).isEqualTo("application/gzip");
        assertThat(log.body()).isEqualTo(chunk);
    }

    @Test
    void noNameOrLocationReachesOutsideItsJobsFolderOrIntoTheHeaders() throws Exception {
        UUID job = job("alice");
        StoreLayout store = new StoreLayout(storeRoot);
        Path outside = store.jobDir(job).resolveSibling("x");
        Files.writeString(outside, "another job's secret");
        Files.createDirectories(store.results(job));
        Files.createSymbolicLink(store.results(job).resolve("link"), outside);
        row(job, "alice", "../x", "file", "../x", "READY", 20L, null, null, "text/plain");
        row(job, "alice", "escape", "file", "results/../../x", "READY", 20L, null, null, "text/plain");
        row(job, "alice", "absolute", "file", outside.toString(), "READY", 20L, null, null, "text/plain");
        row(job, "alice", "link", "file", "results/link", "READY", 20L, null, null, "text/plain");
        row(job, "alice", "folder", "file", "results", "READY", 20L, null, null, "text/plain");
        String base = "/api/v1/jobs/" + job + "/artifacts/";
        for (String name : List.of("%2e%2e%2fx", "..%2Fx", "escape", "absolute", "link", "folder", "..%2F..%2Fx",
                "%2e%2e%2f%2e%2e%2fx")) {
            HttpResponse<byte[]> response = get(base + name, "alice");
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(name).doesNotContain("secret");
        }

        byte[] safe = "q1\ts1\n".getBytes(StandardCharsets.UTF_8);
        String quoted = "a\"b;c=1;.tsv";
        file(job, "alice", quoted, "results/safe.tsv", "text/tab-separated-values", safe);
        HttpResponse<byte[]> served = get(base + "a%22b%3Bc%3D1%3B.tsv", "alice");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(safe);
        assertThat(header(served, "Content-Disposition"))
                .isEqualTo("attachment; filename=\"a_b_c=1_.tsv\"; filename*=UTF-8''a%22b%3Bc%3D1%3B.tsv");

        // a control character in the name is refused before it reaches a query or a header: 400, never 500
        file(job, "alice", "a\r\nSet-Cookie: x=1;.tsv", "results/safe.tsv", "text/tab-separated-values", safe);
        for (String name : List.of("a%0D%0ASet-Cookie%3A%20x%3D1%3B.tsv", "hits%00.tsv")) {
            HttpResponse<byte[]> refused = get(base + name, "alice");
            assertThat(refused.statusCode()).as(name).isEqualTo(400);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).as(name).contains("\"INVALID_PATH\"");
            assertThat(refused.headers().firstValue("Set-Cookie")).as(name).isEmpty();
        }

        file(job, "alice", "résumé ✓.tsv", "results/resume.tsv", "text/tab-separated-values", safe);
        HttpResponse<byte[]> unicode = get(base + "r%C3%A9sum%C3%A9%20%E2%9C%93.tsv", "alice");
        assertThat(unicode.statusCode()).isEqualTo(200);
        assertThat(header(unicode, "Content-Disposition")).contains("filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93.tsv");
    }

    @Test
    void theHitTableIsNoDownloadAndAnArtifactNotReadyIsAConflict() throws Exception {
        UUID job = job("alice");
        row(job, "alice", "hits", "table", null, "READY", null, null, null, null);
        row(job, "alice", "alignments.txt", "file", "artifacts/alignments.txt", "PENDING", null, null, null, "text/plain");
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/hits")
                .then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/alignments.txt")
                .then().statusCode(409).body("code", equalTo("ARTIFACT_NOT_READY"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/none.txt")
                .then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().statusCode(200).body("items.find { it.name == 'hits' }.kind", equalTo("table"))
                .body("items.find { it.name == 'alignments.txt' }.state", equalTo("pending"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/not-a-job/artifacts/x")
                .then().statusCode(400).body("code", equalTo("INVALID_JOB_ID"));
    }

    @Test
    void anotherUsersArtifactsHitsSummaryAndExportAreNotFound() throws Exception {
        UUID job = finishedJob("alice", 30);
        for (String path : List.of("/artifacts", "/artifacts/hits.tsv", "/results/hits", "/results/summary", "/export")) {
            HttpResponse<byte[]> response = get("/api/v1/jobs/" + job + path, "bob");
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(path).doesNotContain("q1");
            assertThat(get("/api/v1/jobs/" + job + path, "alice").statusCode()).as(path).isEqualTo(200);
            assertThat(get("/api/v1/jobs/" + UUID.randomUUID() + path, "alice").statusCode()).as(path).isEqualTo(404);
            assertThat(get("/api/v1/jobs/" + job + path, null).statusCode()).as(path).isEqualTo(401);
        }
    }

    // ------------------------------------------------------------------ hits

    @Test
    void walkingEveryPageOfEverySortGivesEveryHitOnceInOrder() throws Exception {
        // enough for runs of equal keys longer than a page in every sort (6 e-values, 5 bit scores, 4 identities),
        // several pages at every limit below 500, and a query with more hits than its pages hold
        int count = 123;
        UUID job = finishedJob("alice", count);
        List<String[]> lines = hitLines(count).lines().map(l -> l.split("\t")).toList();
        for (String sort : List.of("evalue", "bitscore", "identity")) {
            for (int limit : List.of(1, 7, 50, 500)) {
                List<Integer> expected = expectedOrder(lines, sort, null);
                assertThat(walk(job, sort, limit, null)).as(sort + " by " + limit).isEqualTo(expected);
            }
            List<Integer> q2 = expectedOrder(lines, sort, "q2");
            assertThat(q2).hasSizeGreaterThan(20);
            assertThat(walk(job, sort, 9, "q2")).as(sort + " of q2").isEqualTo(q2);
        }
    }

    @Test
    void aPageTypesItsValuesAndCountsItsTotal() throws Exception {
        UUID job = finishedJob("alice", 40);
        JsonPath page = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParam("limit", 3)
                .get("/api/v1/jobs/" + job + "/results/hits").then().statusCode(200).extract().jsonPath();
        assertThat(page.getString("jobId")).isEqualTo(job.toString());
        assertThat(page.getString("sort")).isEqualTo("evalue");
        assertThat(page.getList("columns")).isEqualTo(COLUMNS);
        assertThat(page.getLong("total")).isEqualTo(40);
        assertThat(page.getList("items")).hasSize(3);
        Map<String, Object> first = page.getMap("items[0]");
        assertThat(first.get("qseqid")).isInstanceOf(String.class);
        assertThat(first.get("length")).isInstanceOf(Integer.class);
        assertThat(first.get("pident")).isInstanceOfAny(Float.class, Double.class);
        assertThat(first.get("evalue")).isInstanceOfAny(Float.class, Double.class);
        assertThat(page.getString("next")).isNotBlank();

        JsonPath filtered = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParam("query", "q3")
                .get("/api/v1/jobs/" + job + "/results/hits").then().statusCode(200).extract().jsonPath();
        long q3 = hitLines(40).lines().filter(l -> l.startsWith("q3\t")).count();
        assertThat(filtered.getLong("total")).isEqualTo(q3);
        assertThat(filtered.getString("query")).isEqualTo("q3");
        assertThat(filtered.getList("items.qseqid")).hasSize((int) q3).containsOnly("q3");
        assertThat(filtered.getString("next")).isNull();
        JsonPath none = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParam("query", "nobody")
                .get("/api/v1/jobs/" + job + "/results/hits").then().statusCode(200).extract().jsonPath();
        assertThat(none.getLong("total")).isZero();
        assertThat(none.getList("items")).isEmpty();
    }

    @Test
    void aPageTypesItsValuesAsTheJobsOwnPipelineDeclaredThem() throws Exception {
        UUID job = finishedJob("alice", 4);
        // an operator's pipeline: a column no built-in pipeline has, and one it declares otherwise than BLAST
        List<String> columns = new ArrayList<>(COLUMNS);
        columns.set(3, "aligned");
        try (Connection db = db(); PreparedStatement update = db.prepareStatement(
                "UPDATE artifacts.finalization SET hit_columns = ?, hit_types = ? WHERE job_id = ?")) {
            update.setString(1, String.join("\t", columns));
            update.setString(2, "string\tstring\tstring\tinteger\tinteger\tinteger\tinteger\tinteger\tinteger\tinteger"
                    + "\tnumber\tnumber");
            update.setObject(3, job);
            update.executeUpdate();
        }
        JsonPath page = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice"))
                .get("/api/v1/jobs/" + job + "/results/hits").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("columns")).isEqualTo(columns);
        Map<String, Object> first = page.getMap("items[0]");
        assertThat(first.get("aligned")).isInstanceOf(Integer.class);
        assertThat(first.get("pident")).isInstanceOf(String.class);
        assertThat(first.get("evalue")).isInstanceOfAny(Float.class, Double.class);
    }

    @Test
    void aBadSortLimitOrCursorIsRefusedWithItsCode() throws Exception {
        UUID job = finishedJob("alice", 12);
        String hits = "/api/v1/jobs/" + job + "/results/hits";
        String bitscoreCursor = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParam("sort", "bitscore")
                .queryParam("limit", 2).get(hits).then().statusCode(200).extract().path("next");
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("INVALID_SORT", Map.of("sort", "pident"));
        cases.put("INVALID_LIMIT", Map.of("limit", "0"));
        cases.put("INVALID_CURSOR", Map.of("cursor", "not-a-cursor"));
        cases.forEach((code, params) -> given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParams(params).get(hits)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo(code)));
        for (String limit : List.of("501", "-1", "ten", "1.5")) {
            given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParam("limit", limit).get(hits)
                    .then().statusCode(400).body("code", equalTo("INVALID_LIMIT"));
        }
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParam("sort", "evalue").queryParam("cursor", bitscoreCursor)
                .get(hits).then().statusCode(400).body("code", equalTo("INVALID_CURSOR"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).queryParam("sort", "bitscore").queryParam("cursor", bitscoreCursor)
                .get(hits).then().statusCode(200);
    }

    @Test
    void resultsNotBuiltYetAreAConflictNotAnError() throws Exception {
        UUID job = job("alice");
        finalization(job, "alice", "building", null, null);
        row(job, "alice", "hits", "table", null, "PENDING", null, null, null, null);
        row(job, "alice", "summary.json", "file", "artifacts/summary.json", "MISSING", null, null, null, "application/json");
        for (String path : List.of("/results/hits", "/results/summary", "/export")) {
            given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + path)
                    .then().statusCode(409).body("code", equalTo("RESULTS_NOT_READY"));
        }
    }

    @Test
    void theSummaryIsServedAsBuilt() throws Exception {
        UUID job = finishedJob("alice", 10);
        String summary = Files.readString(new StoreLayout(storeRoot).artifacts(job).resolve("summary.json"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/results/summary")
                .then().statusCode(200).contentType("application/json").body(equalTo(summary));
    }

    // ------------------------------------------------------------------ export

    @Test
    void theExportIsAZipOfEveryReadyFileWithItsLengthUpFront() throws Exception {
        UUID job = finishedJob("alice", 500);
        byte[] gz = gzip("a\nb\n".getBytes(StandardCharsets.UTF_8));
        file(job, "alice", "log-0001.txt.gz", "artifacts/log-0001.txt.gz", "application/gzip", gz);
        row(job, "alice", "alignments.txt", "file", "artifacts/alignments.txt", "FAILED", null, null, null, "text/plain");
        // a format asked for after the finalization, being made: the job's build is due again, its export served
        row(job, "alice", "hits.xml", "file", "artifacts/hits.xml", "PENDING", null, null, null, "application/xml");
        try (Connection db = db(); PreparedStatement reopened = db.prepareStatement(
                "UPDATE artifacts.finalization SET state = 'building' WHERE job_id = ?")) {
            reopened.setObject(1, job);
            reopened.executeUpdate();
        }

        HttpResponse<byte[]> response = get("/api/v1/jobs/" + job + "/export", "alice");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo("application/zip");
        assertThat(header(response, "Content-Disposition")).startsWith("attachment; filename=\"aegis-" + job + ".zip\"");
        assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(response.body().length));

        Map<String, byte[]> entries = unzip(response.body());
        StoreLayout store = new StoreLayout(storeRoot);
        String folder = "aegis-" + job + "/";
        assertThat(entries.keySet()).containsExactly(folder + "hits.tsv", folder + "log-0001.txt.gz",
                folder + "manifest.json", folder + "summary.json");
        assertThat(entries.get(folder + "hits.tsv")).isEqualTo(Files.readAllBytes(store.results(job).resolve("hits.tsv")));
        assertThat(entries.get(folder + "summary.json")).isEqualTo(Files.readAllBytes(store.artifacts(job).resolve("summary.json")));
        assertThat(entries.get(folder + "log-0001.txt.gz")).isEqualTo(gz);
    }

    @Test
    void anExportWithoutEveryChecksumIsStillWholeButSentWithoutALength() throws Exception {
        UUID job = finishedJob("alice", 5);
        byte[] log = "worker: done\n".getBytes(StandardCharsets.UTF_8);
        Files.write(new StoreLayout(storeRoot).results(job).resolve("run.log"), log);
        row(job, "alice", "run.log", "file", "results/run.log", "READY", (long) log.length, null, null, "text/plain");

        HttpResponse<byte[]> response = get("/api/v1/jobs/" + job + "/export", "alice");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length")).isNull();
        assertThat(unzip(response.body()).get("aegis-" + job + "/run.log")).isEqualTo(log);
    }

    // ------------------------------------------------------------------ helpers

    /** Every page of one listing, following its cursors; the line numbers of its hits in the order given. */
    private List<Integer> walk(UUID job, String sort, int limit, String query) throws Exception {
        List<Integer> ords = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            // a cursor is base64url: it goes into the query string as it is
            String path = "/api/v1/jobs/" + job + "/results/hits?sort=" + sort + "&limit=" + limit
                    + (query != null ? "&query=" + query : "") + (cursor != null ? "&cursor=" + cursor : "");
            HttpResponse<byte[]> response = get(path, "alice");
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            for (JsonNode item : page.get("items")) {
                // each test hit's sseqid carries its line number
                ords.add(Integer.parseInt(item.get("sseqid").asText().substring(1)));
            }
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            assertThat(++pages).isLessThan(1000);
        } while (cursor != null);
        return ords;
    }

    private static List<Integer> expectedOrder(List<String[]> lines, String sort, String query) {
        int column = switch (sort) {
            case "evalue" -> 10;
            case "bitscore" -> 11;
            default -> 2;
        };
        Comparator<Integer> byKey = Comparator.comparingDouble(i -> Double.parseDouble(lines.get(i)[column]));
        if (!sort.equals("evalue")) {
            byKey = byKey.reversed();
        }
        List<Integer> ords = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (query == null || lines.get(i)[0].equals(query)) {
                ords.add(i);
            }
        }
        ords.sort(byKey.thenComparing(Comparator.naturalOrder()));
        return ords;
    }

    /**
     * Hits in query order with many ties in every key (e-value 0 included), so pages break inside
     * runs of equal keys. The subject {@code s<n>} is the line's own number.
     */
    private static String hitLines(int count) {
        Random random = new Random(count);
        StringBuilder out = new StringBuilder();
        double[] evalues = {0.0, 1e-180, 2.5e-50, 1e-5, 0.001, 3.2};
        for (int i = 0; i < count; i++) {
            String query = "q" + (1 + i * 5 / count);
            double identity = 40 + random.nextInt(4) * 20;
            int length = 30 + random.nextInt(200);
            double evalue = evalues[random.nextInt(evalues.length)];
            double bitscore = 50 + random.nextInt(5) * 12.5;
            out.append(String.format(Locale.ROOT, "%s\ts%d\t%.3f\t%d\t%d\t%d\t1\t%d\t1\t%d\t%s\t%.1f%n", query, i, identity,
                    length, random.nextInt(5), random.nextInt(3), length, length, evalue == 0 ? "0.0" : Double.toString(evalue),
                    bitscore));
        }
        return out.toString();
    }

    /** A job whose finalization is done: hits.tsv and its hit table, summary.json, the manifest, every row ready. */
    private UUID finishedJob(String owner, int hits) throws Exception {
        UUID job = job(owner);
        String tsv = hitLines(hits);
        file(job, owner, "hits.tsv", "results/hits.tsv", "text/tab-separated-values", tsv.getBytes(StandardCharsets.UTF_8));
        file(job, owner, "summary.json", "artifacts/summary.json", "application/json",
                ("{\"hits\":" + hits + ",\"queriesWithHits\":5}").getBytes(StandardCharsets.UTF_8));
        file(job, owner, "manifest.json", "artifacts/manifest.json", "application/json",
                ("{\"jobId\":\"" + job + "\",\"files\":[]}").getBytes(StandardCharsets.UTF_8));
        row(job, owner, "hits", "table", null, "READY", null, null, null, null);
        finalization(job, owner, "done", String.join("\t", COLUMNS), (long) hits);
        try (Connection db = db(); PreparedStatement insert = db.prepareStatement("INSERT INTO artifacts.hit "
                + "(job_id, ord, query, subject, identity, evalue, bitscore, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            long ord = 0;
            for (String line : tsv.lines().toList()) {
                String[] f = line.split("\t");
                insert.setObject(1, job);
                insert.setLong(2, ord++);
                insert.setString(3, f[0]);
                insert.setString(4, f[1]);
                insert.setDouble(5, Double.parseDouble(f[2]));
                insert.setDouble(6, Double.parseDouble(f[10]));
                insert.setDouble(7, Double.parseDouble(f[11]));
                insert.setString(8, line);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return job;
    }

    private UUID job(String owner) throws IOException {
        UUID job = UUID.randomUUID();
        JOBS.add(job);
        Files.createDirectories(new StoreLayout(storeRoot).jobDir(job));
        return job;
    }

    /** Writes a file into the job's folder and records it ready, with its size, sha256 and CRC-32. */
    private String file(UUID job, String owner, String name, String location, String type, byte[] data) throws Exception {
        Path file = new StoreLayout(storeRoot).jobDir(job).resolve(location);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        CRC32 crc = new CRC32();
        crc.update(data);
        row(job, owner, name, "file", location, "READY", (long) data.length, sha, crc.getValue(), type);
        return sha;
    }

    private void row(UUID job, String owner, String name, String kind, String location, String state, Long size,
                     String sha, Long crc, String type) throws SQLException {
        try (Connection db = db(); PreparedStatement insert = db.prepareStatement("INSERT INTO artifacts.artifact "
                + "(job_id, name, owner, state, size, sha256, content_type, updated_at, kind, location, crc32) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, job);
            insert.setString(2, name);
            insert.setString(3, owner);
            insert.setString(4, state);
            insert.setObject(5, size);
            insert.setString(6, sha);
            insert.setString(7, type);
            insert.setTimestamp(8, Timestamp.from(Instant.now()));
            insert.setString(9, kind);
            insert.setString(10, location);
            insert.setObject(11, crc);
            insert.executeUpdate();
        }
    }

    private void finalization(UUID job, String owner, String state, String columns, Long count) throws SQLException {
        try (Connection db = db(); PreparedStatement insert = db.prepareStatement("INSERT INTO artifacts.finalization "
                + "(job_id, owner, job_status, state, attempts, next_attempt_at, hit_columns, hit_count, created_at, updated_at) "
                + "VALUES (?, ?, 'SUCCEEDED', ?, 1, now() + interval '1 day', ?, ?, now(), now())")) {
            insert.setObject(1, job);
            insert.setString(2, owner);
            insert.setString(3, state);
            insert.setString(4, columns);
            insert.setObject(5, count);
            insert.executeUpdate();
        }
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }

    @AfterAll
    static void forget() throws Exception {
        // the rows of these jobs only: the database is shared with the other tests
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (Connection db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            for (String table : List.of("hit", "artifact", "finalization")) {
                try (PreparedStatement delete = db.prepareStatement("DELETE FROM artifacts." + table + " WHERE job_id = ?")) {
                    for (UUID job : JOBS) {
                        delete.setObject(1, job);
                        delete.executeUpdate();
                    }
                }
            }
        }
    }

    private HttpResponse<byte[]> get(String path, String user, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path));
        if (user != null) {
            request.header(AegisHeaders.IDENTITY, TestCallers.identity(user));
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static void assertPart(HttpResponse<byte[]> response, byte[] data, int start, int end) {
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes " + start + "-" + end + "/" + data.length);
        assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(end - start + 1));
        assertThat(response.body()).isEqualTo(java.util.Arrays.copyOfRange(data, start, end + 1));
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        return data;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }
}
