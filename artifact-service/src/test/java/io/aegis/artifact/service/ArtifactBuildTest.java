package io.aegis.artifact.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.artifact.Announcements;
import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.artifact.domain.Backoff;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.artifact.repository.FinalizationRepository.Hold;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobDeletedEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.ArtifactStateDeserializer;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The finalization engine end to end: terminal events in through the real broker, artifacts built
 * into the store, rows in the real database, readiness announced on {@code aegis.artifact.state}.
 * The test profile allows 3 attempts and 2 looks for log lines (application.properties), with a short
 * backoff between them.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
class ArtifactBuildTest {

    static final List<String> COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore", "qseq", "sseq");
    /** The type of each column, as the worker records them in hits.json from the job's pipeline. */
    static final List<String> TYPES = List.of("string", "string", "number", "integer", "integer", "integer",
            "integer", "integer", "integer", "integer", "number", "number", "string", "string");
    static final String HITS = String.join("\n",
            "q1\ts1\t100.0\t10\t0\t0\t1\t10\t1\t10\t1e-30\t50.0\tMKTAYIAKQR\tMKTAYIAKQR",
            "q1\ts2\t90.0\t10\t1\t0\t1\t10\t5\t14\t1e-20\t40.0\tMKTAYIAKQR\tMKTAYIAKQK",
            "q1\ts3\t70.0\t10\t2\t1\t1\t10\t20\t28\t2e-5\t25.0\tMKTAYIAKQR\tMKT-YIAKHR",
            "q2\ts1\t85.5\t8\t1\t0\t3\t10\t2\t9\t3e-12\t33.1\tTAYIAKQR\tTAYLAKQR",
            "q3\ts4\t60.0\t5\t2\t0\t1\t5\t11\t7\t0.5\t12.0\tMKTAY\tMRTAF") + "\n";
    static final int HIT_LINES = 5;
    /** The job's input: q4, between q1 and q2, hits nothing. */
    static final String INPUT = ">q1 first\nMKTAYIAKQR\n>q4 no hits\nWWWWWWWWWW\n>q2\nTAYIAKQR\n>q3\nMKTAY\n";
    static final List<String> PARTS = List.of("input.fasta", "hits.tsv", "hits.json", "run.log", "summary.json", "alignments.txt",
            "steps.json", "log-0001.txt.gz", "hits", "manifest.json");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Inject
    DataSource dataSource;

    @Inject
    ArtifactBuilder builder;

    @Inject
    FinalizationRepository finalizations;

    @Inject
    Vertx vertx;

    @Inject
    ArtifactsConfig config;

    @Inject
    LogSpool spool;

    @TestHTTPResource("/")
    URI root;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aFinishedJobGetsEveryArtifactBuiltRecordedAndAnnounced() throws Exception {
        UUID job = finishedJob();
        Instant at = Instant.parse("2030-01-01T10:00:00Z");
        KafkaRecords.send(kafka, Topics.JOB_LOG, job.toString(), new EventSerializer(), List.of(
                log(job, 1, "searching batch 1", at),
                log(job, 2, "searching batch 2", at.plusSeconds(1)),
                log(job, 3, "merged 5 hits\tin 3 queries", at.plusSeconds(2)),
                log(job, 2, "searching batch 2", at.plusSeconds(1)), // redelivered
                log(job, 4, "done", at.plusSeconds(3))));
        // the lines are in before the job ends here (lines still on their way: withoutLogLines…)
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(spool.file(job))
                && Files.readAllLines(spool.file(job)).size() == 5);
        publishTerminal(job, "alice");

        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("done");
        assertThat(finalization.get("last_error")).isNull();
        assertThat(finalization.get("hit_count")).isEqualTo((long) HIT_LINES);
        assertThat(finalization.get("hit_columns")).isEqualTo(String.join("\t", COLUMNS));
        assertThat(finalization.get("hit_types")).isEqualTo(String.join("\t", TYPES));

        Map<String, Map<String, Object>> rows = artifacts(job);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(PARTS);
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.get("state")).isEqualTo("READY"));
        assertThat(rows.get("hits").get("kind")).isEqualTo("table");
        assertThat(rows.get("summary.json").get("location")).isEqualTo("artifacts/summary.json");
        assertThat(rows.get("hits.tsv").get("location")).isEqualTo("results/hits.tsv");
        assertThat(rows.get("input.fasta").get("location")).as("the input where job-service wrote it").isEqualTo("input.fasta");
        assertThat(rows.get("input.fasta").get("content_type")).isEqualTo("text/x-fasta");

        StoreLayout store = new StoreLayout(storeRoot);
        JsonNode summary = json.readTree(store.artifacts(job).resolve("summary.json").toFile());
        assertThat(summary.get("hits").asLong()).isEqualTo(HIT_LINES);
        assertThat(summary.get("queries").asInt()).isEqualTo(4);
        assertThat(summary.get("queriesWithHits").asInt()).isEqualTo(3);
        assertThat(summary.get("perQuery")).extracting(row -> row.get("query").asText() + ":" + row.get("hits").asInt())
                .as("every query of the input, in input order, by the id its hits carry")
                .containsExactly("q1:3", "q4:0", "q2:1", "q3:1");
        assertThat(summary.get("perQuery").get(1).has("bestEvalue")).isFalse();

        String alignments = Files.readString(store.artifacts(job).resolve("alignments.txt"));
        assertThat(alignments).contains("q1", "q2", "q3", "s1", "s2", "s3", "s4", "MKTAYIAKQR", "MKT-YIAKHR");

        assertThat(Files.readString(store.artifacts(job).resolve("steps.json"))).isEqualTo(JobServiceStandIn.steps(job.toString()));
        assertThat(JobServiceStandIn.requests(job.toString())).extracting(JobServiceStandIn.Request::user).containsOnly("alice");

        String logLines;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(store.artifacts(job).resolve("log-0001.txt.gz")))) {
            logLines = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(logLines.lines().toList()).hasSize(4);
        assertThat(logLines).containsSubsequence("searching batch 1", "searching batch 2", "merged 5 hits", "done");

        List<Map<String, Object>> hits = query("SELECT ord, query, line FROM artifacts.hit WHERE job_id = ? ORDER BY ord", job);
        List<String> lines = HITS.lines().toList();
        assertThat(hits).hasSize(HIT_LINES);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(hits.get(i)).containsEntry("ord", (long) i).containsEntry("query", lines.get(i).split("\t")[0])
                    .containsEntry("line", lines.get(i));
        }

        JsonNode manifest = json.readTree(store.artifacts(job).resolve("manifest.json").toFile());
        Map<String, JsonNode> listed = new LinkedHashMap<>();
        manifest.get("files").forEach(file -> listed.put(file.get("name").asText(), file));
        assertThat(listed.keySet()).containsExactlyInAnyOrder("input.fasta", "hits.tsv", "hits.json", "run.log",
                "summary.json", "alignments.txt", "steps.json", "log-0001.txt.gz");
        assertThat(Files.readString(store.input(job))).isEqualTo(INPUT);
        for (Map.Entry<String, JsonNode> entry : listed.entrySet()) {
            Path file = store.jobDir(job).resolve((String) rows.get(entry.getKey()).get("location"));
            byte[] bytes = Files.readAllBytes(file);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            assertThat(entry.getValue().get("size").asLong()).as(entry.getKey()).isEqualTo(bytes.length);
            assertThat(entry.getValue().get("sha256").asText()).as(entry.getKey()).isEqualTo(sha256(bytes));
            assertThat(entry.getValue().get("crc32").asLong()).as(entry.getKey()).isEqualTo(crc.getValue());
            assertThat(rows.get(entry.getKey()).get("crc32")).as(entry.getKey()).isEqualTo(crc.getValue());
        }

        List<ArtifactStateEvent> events = artifactEvents(job, e -> e.size() >= PARTS.size());
        assertThat(events).extracting(ArtifactStateEvent::name).containsExactlyInAnyOrderElementsOf(PARTS);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.state()).isEqualTo(ArtifactState.READY);
            assertThat(e.owner()).isEqualTo("alice");
        });
        assertThat(events.getLast().name()).isEqualTo("manifest.json");
    }

    /** BLAST's own formats of a blastp search (no SAM: BLAST writes it for blastn only). */
    static final List<String> BLAST_FORMATS = List.of("hits.xml", "hits.commented.tsv", "hits.txt", "hits.blast.json");

    @Test
    void blastsOwnFormatsAreMadeOnlyWhenAskedForByADownloadOrABuildRequestAndOnlyForTheOwner() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        StoreLayout store = new StoreLayout(storeRoot);
        ArchivedSearches.Database database = ArchivedSearches.protein(store);
        ArchivedSearches.archive(store, job, database, ArchivedSearches.proteinQueries(), 4);
        publishTerminal(job, "alice");

        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("done");
        Map<String, Map<String, Object>> rows = artifacts(job);
        assertThat(rows.keySet()).containsAll(BLAST_FORMATS).doesNotContain("hits.sam");
        for (String name : BLAST_FORMATS) {
            assertThat(rows.get(name).get("state")).as(name).isEqualTo("ON_REQUEST");
            assertThat(store.artifacts(job).resolve(name)).as(name).doesNotExist();
        }
        JsonNode manifest = json.readTree(store.artifacts(job).resolve("manifest.json").toFile());
        List<String> listed = new ArrayList<>();
        manifest.get("files").forEach(file -> listed.add(file.get("name").asText()));
        assertThat(listed).doesNotContainAnyElementsOf(BLAST_FORMATS).contains("hits.tsv", "summary.json");
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().statusCode(200).body("items.findAll { it.name.startsWith('hits.') && it.name != 'hits.tsv' "
                        + "&& it.name != 'hits.json' }.state", everyItem(equalTo("on_request")));

        // nobody else asks for it, nor learns it is there; nothing asks without an identity
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + job + "/artifacts/hits.xml")
                .then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).post("/api/v1/jobs/" + job + "/artifacts/hits.xml/build")
                .then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
        given().post("/api/v1/jobs/" + job + "/artifacts/hits.xml/build").then().statusCode(401);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).post("/api/v1/jobs/" + job + "/artifacts/hits.sam/build")
                .then().statusCode(404);
        assertThat(artifacts(job).get("hits.xml").get("state")).isEqualTo("ON_REQUEST");

        // the first download asks for it: 202 until it is made, as a build request answers
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/hits.xml")
                .then().statusCode(202).header("Retry-After", "2").body("name", equalTo("hits.xml"))
                .body("state", equalTo("pending"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice"))
                .post("/api/v1/jobs/" + job + "/artifacts/hits.commented.tsv/build")
                .then().statusCode(202).header("Retry-After", "2").body("state", equalTo("pending"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "READY".equals(artifacts(job).get("hits.xml").get("state"))
                        && "READY".equals(artifacts(job).get("hits.commented.tsv").get("state")));
        assertThat(awaitSettled(job).get("state")).isEqualTo("done");

        rows = artifacts(job);
        assertThat(rows.get("hits.xml").get("location")).isEqualTo("artifacts/hits.xml");
        assertThat(rows.get("hits.xml").get("content_type")).isEqualTo("application/xml");
        assertThat(store.artifacts(job).resolve("hits.xml.part")).doesNotExist();
        assertThat(rows.get("hits.txt").get("state")).as("not asked for").isEqualTo("ON_REQUEST");
        assertThat(rows.get("hits.blast.json").get("state")).as("not asked for").isEqualTo("ON_REQUEST");
        String xml = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice"))
                .get("/api/v1/jobs/" + job + "/artifacts/hits.xml").then().statusCode(200).extract().asString();
        assertThat(xml).isEqualTo(Files.readString(store.artifacts(job).resolve("hits.xml")))
                .contains("<BlastOutput_db>demo</BlastOutput_db>", "<Iteration_query-def>nohit-2</Iteration_query-def>")
                .doesNotContain(database.prefix().toString());
        assertThat(Files.readString(store.artifacts(job).resolve("hits.commented.tsv")).strip())
                .endsWith("# BLAST processed " + ArchivedSearches.proteinQueries().size() + " queries");
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).post("/api/v1/jobs/" + job + "/artifacts/hits.xml/build")
                .then().statusCode(200).body("state", equalTo("ready"))
                .body("size", equalTo(xml.getBytes(StandardCharsets.UTF_8).length));
        List<ArtifactStateEvent> events = artifactEvents(job,
                e -> e.stream().filter(a -> BLAST_FORMATS.contains(a.name())).count() >= 2);
        assertThat(events).filteredOn(e -> BLAST_FORMATS.contains(e.name()))
                .extracting(ArtifactStateEvent::name, ArtifactStateEvent::state)
                .containsExactlyInAnyOrder(tuple("hits.xml", ArtifactState.READY), tuple("hits.commented.tsv", ArtifactState.READY));
        // the manifest is the finalization's, made before them: unchanged
        assertThat(json.readTree(store.artifacts(job).resolve("manifest.json").toFile())).isEqualTo(manifest);
    }

    /** A small search kept no archive as it ran: its formats are offered all the same, and made by searching again. */
    @Test
    void aSearchThatKeptNoArchiveHasItsFormatsMadeBySearchingAgainOnce() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        StoreLayout store = new StoreLayout(storeRoot);
        ArchivedSearches.Database database = ArchivedSearches.protein(store);
        SearchArchive unarchived = ArchivedSearches.unarchived(store, job, database, ArchivedSearches.proteinQueries());
        publishTerminal(job, "alice");

        assertThat(awaitSettled(job).get("state")).isEqualTo("done");
        assertThat(artifacts(job).get("hits.xml").get("state")).isEqualTo("ON_REQUEST");
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/hits.xml")
                .then().statusCode(202).body("state", equalTo("pending"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "READY".equals(artifacts(job).get("hits.xml").get("state")));

        assertThat(SearchArchive.read(store.archive(job))).isEqualTo(unarchived.archivedAs(1));
        assertThat(store.archive(job).resolve(SearchArchive.batchFile(0))).isRegularFile();
        String xml = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice"))
                .get("/api/v1/jobs/" + job + "/artifacts/hits.xml").then().statusCode(200).extract().asString();
        assertThat(xml).contains("<BlastOutput_db>demo</BlastOutput_db>", "<Iteration_query-def>nohit-2</Iteration_query-def>")
                .doesNotContain(database.prefix().toString());
        assertThat(BlastFormatsGoldenTest.normalized(xml, BlastFormat.XML)).isEqualTo(BlastFormatsGoldenTest.normalized(
                ArchivedSearches.direct(store, job, database, "5").replace(database.prefix().toString(), database.name()),
                BlastFormat.XML));
    }

    @Test
    void aFormatAskedForWhileABuildRunsIsMadeByTheNextAttemptNotSettledAway() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        StoreLayout store = new StoreLayout(storeRoot);
        ArchivedSearches.archive(store, job, ArchivedSearches.protein(store), ArchivedSearches.proteinQueries(), 2);
        // a replica's build under way (its lease still good) that began before the request: it saw hits.xml on request
        execute("INSERT INTO artifacts.finalization (job_id, owner, job_status, state, attempts, next_attempt_at,"
                + " lease_until, created_at, updated_at) VALUES (?, 'alice', 'SUCCEEDED', 'building', 1,"
                + " now(), now() + interval '10 minutes', now(), now())", job);
        execute("INSERT INTO artifacts.artifact (job_id, name, owner, state, kind, location, content_type, updated_at)"
                + " VALUES (?, 'hits.xml', 'alice', 'ON_REQUEST', 'file', 'artifacts/hits.xml', 'application/xml', now())", job);

        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).post("/api/v1/jobs/" + job + "/artifacts/hits.xml/build")
                .then().statusCode(202);
        assertThat(finalization(job)).containsEntry("state", "building").containsEntry("requested", true);

        // that build settles as done: the request makes it due again instead
        Claim running = new Claim(job, "alice", JobStatus.SUCCEEDED, null, 1);
        assertThat(finalizations.done(running, null).await().atMost(Duration.ofSeconds(10))).isEqualTo(Hold.HELD);
        assertThat(finalization(job).get("state")).isIn("pending", "building");

        assertThat(awaitSettled(job).get("state")).isEqualTo("done");
        assertThat(finalization(job)).containsEntry("attempts", 2).containsEntry("requested", false);
        assertThat(artifacts(job).get("hits.xml").get("state")).isEqualTo("READY");
        assertThat(store.artifacts(job).resolve("hits.xml")).isRegularFile();
    }

    @Test
    void aFormatAskedForWhoseDatabaseWasReplacedSinceTheSearchFailsNamingBothVersionsAndTheRestStaysServed() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        StoreLayout store = new StoreLayout(storeRoot);
        ArchivedSearches.Database database = ArchivedSearches.protein(store, "demo-replaced");
        ArchivedSearches.archive(store, job, database, ArchivedSearches.proteinQueries(), 4);
        ArchivedSearches.markVersion(store, database.name(), "20310101T000000Z-2");
        publishTerminal(job, "alice");
        assertThat(awaitSettled(job).get("state")).isEqualTo("done");

        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/hits.xml")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> "FAILED".equals(artifacts(job).get("hits.xml").get("state")));
        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("failed");
        assertThat(finalization.get("attempts")).as("the finalization's one, then the request's three").isEqualTo(4);
        Map<String, Map<String, Object>> rows = artifacts(job);
        assertThat((String) rows.get("hits.xml").get("error"))
                .contains("'demo-replaced' was replaced", ArchivedSearches.VERSION, "20310101T000000Z-2");
        assertThat(store.artifacts(job).resolve("hits.xml")).doesNotExist();
        for (String name : List.of("hits.commented.tsv", "hits.txt", "hits.blast.json")) {
            assertThat(rows.get(name).get("state")).as(name).isEqualTo("ON_REQUEST");
        }
        assertThat(rows.get("summary.json").get("state")).isEqualTo("READY");
        assertThat(rows.get("manifest.json").get("state")).isEqualTo("READY");
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/hits.xml")
                .then().statusCode(409).body("code", equalTo("ARTIFACT_NOT_READY"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/export")
                .then().statusCode(200).contentType("application/zip");
    }

    @Test
    void duplicateTerminalEventsBuildOnce() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        // the duplicates, then another job's end on the same partition: once that one is taken up, so were they
        UUID later = finishedJob();
        spoolOneLine(later);
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(
                terminal(job, "alice"), terminal(job, "alice"), terminal(job, "alice"), terminal(later, "alice")));

        await().atMost(Duration.ofSeconds(30)).until(() -> finalization(later) != null);
        // whatever the duplicates did is done: a second build would have been claimed (counted) and announced
        assertThat(awaitSettled(job).get("state")).isEqualTo("done");
        assertThat(finalization(job).get("attempts")).isEqualTo(1);
        assertThat(JobServiceStandIn.requests(job.toString())).hasSize(1);
        Map<String, Long> announced = Announcements.through(kafka, job, "manifest.json").stream()
                .collect(Collectors.groupingBy(ArtifactStateEvent::name, Collectors.counting()));
        assertThat(announced).containsOnlyKeys(PARTS).allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
    }

    @Test
    void aJobThatReusedAFinalizedJobHasEveryArtifactAtOnceTakenOverLogIncluded() throws Exception {
        UUID source = finishedJob();
        spoolOneLine(source);
        publishTerminal(source, "alice");
        assertThat(awaitSettled(source).get("state")).isEqualTo("done");
        StoreLayout store = new StoreLayout(storeRoot);
        Map<String, Map<String, Object>> earlier = artifacts(source);

        // job-service answered bob's identical submit at once with a job that reused alice's
        UUID job = UUID.randomUUID();
        JobServiceStandIn.submitted(job, "bob", JobStatus.SUCCEEDED, source);
        List<String> expected = List.of("alignments.txt", "hits", "hits.json", "hits.tsv", "input.fasta", "manifest.json",
                "run.log", "steps.json", "summary.json");
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().statusCode(200)
                .body("items.name", equalTo(expected))
                .body("items.state", everyItem(equalTo("pending")));
        assertThat(store.jobDir(job)).as("looking ahead writes nothing").doesNotExist();

        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(new JobStateEvent(1, job,
                "bob", JobStatus.SUCCEEDED, null, 1, 1, null, null, 1, 0, source, Instant.now())));
        long published = System.nanoTime();
        // as the job page sees it: every artifact ready, the log chunk among them (no log line of its own awaited)
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> allReady(job, "bob"));
        System.out.printf("A reused job's artifacts were all ready %d ms after the broker took its terminal event%n",
                (System.nanoTime() - published) / 1_000_000);

        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("done");
        assertThat(finalization.get("attempts")).as("no attempt waited for log lines").isEqualTo(1);
        assertThat(finalization.get("last_error")).isNull();
        assertThat(finalization.get("hit_count")).isEqualTo((long) HIT_LINES);
        assertThat(finalization.get("hit_columns")).isEqualTo(String.join("\t", COLUMNS));
        assertThat(finalization.get("hit_types")).isEqualTo(String.join("\t", TYPES));

        Map<String, Map<String, Object>> rows = artifacts(job);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(PARTS);
        assertThat(rows.values()).allSatisfy(row -> {
            assertThat(row.get("state")).isEqualTo("READY");
            assertThat(row.get("owner")).isEqualTo("bob");
        });
        for (String name : List.of("hits.tsv", "hits.json", "run.log", "summary.json", "alignments.txt", "log-0001.txt.gz")) {
            Path mine = store.jobDir(job).resolve((String) rows.get(name).get("location"));
            Path theirs = store.jobDir(source).resolve((String) earlier.get(name).get("location"));
            assertThat(Files.isSameFile(mine, theirs)).as(name + " is the earlier job's file, linked").isTrue();
            assertThat(rows.get(name).get("sha256")).as(name).isEqualTo(sha256(Files.readAllBytes(mine)))
                    .isEqualTo(earlier.get(name).get("sha256"));
            assertThat(rows.get(name).get("crc32")).as(name).isEqualTo(earlier.get(name).get("crc32"));
        }
        assertThat(query("SELECT ord, query, line FROM artifacts.hit WHERE job_id = ? ORDER BY ord", job))
                .isEqualTo(query("SELECT ord, query, line FROM artifacts.hit WHERE job_id = ? ORDER BY ord", source))
                .hasSize(HIT_LINES);
        assertThat(Files.readString(store.artifacts(job).resolve("steps.json"))).isEqualTo(JobServiceStandIn.steps(job.toString()));
        assertThat(JobServiceStandIn.requests(job.toString())).extracting(JobServiceStandIn.Request::user).containsOnly("bob");
        assertThat(rows.get("input.fasta").get("location")).as("no input of its own: the earlier job's, the same queries")
                .isEqualTo("artifacts/input.fasta");
        assertThat(Files.readString(store.artifacts(job).resolve("input.fasta"))).isEqualTo(INPUT);
        assertThat(rows.get("input.fasta").get("sha256")).isEqualTo(earlier.get("input.fasta").get("sha256"));
        JsonNode manifest = json.readTree(store.artifacts(job).resolve("manifest.json").toFile());
        assertThat(manifest.get("jobId").asText()).isEqualTo(job.toString());
        assertThat(manifest.get("files")).hasSize(PARTS.size() - 2);

        List<ArtifactStateEvent> events = Announcements.through(kafka, job, "manifest.json");
        assertThat(events).extracting(ArtifactStateEvent::name).containsExactlyInAnyOrderElementsOf(PARTS);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.state()).isEqualTo(ArtifactState.READY);
            assertThat(e.owner()).isEqualTo("bob");
            // the link a client follows: the table's pages, or a file's download
            assertThat(e.href()).isEqualTo("/api/v1/jobs/" + job + (e.name().equals("hits") ? "/results/" : "/artifacts/")
                    + e.name());
        });
    }

    @Test
    void aBuildCutShortByACrashIsResumedOnceItsLeaseRunsOutAndCompleted() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        StoreLayout store = new StoreLayout(storeRoot);
        // what a replica that died mid-build leaves: hits.tsv recorded ready, summary.json half-written
        // in its temporary file, the claim still 'building' with a lease that has run out
        byte[] tsv = Files.readAllBytes(store.results(job).resolve("hits.tsv"));
        CRC32 crc = new CRC32();
        crc.update(tsv);
        // the artifacts and the half-written file first: the claim, whose lease has run out, is taken up at once
        execute("INSERT INTO artifacts.artifact (job_id, name, owner, state, kind, location, size, sha256, crc32,"
                + " content_type, updated_at) VALUES (?, 'hits.tsv', 'alice', 'READY', 'file', 'results/hits.tsv', ?, ?, ?,"
                + " 'text/tab-separated-values', now())", job, (long) tsv.length, sha256(tsv), crc.getValue());
        execute("INSERT INTO artifacts.artifact (job_id, name, owner, state, kind, location, content_type, updated_at)"
                + " VALUES (?, 'summary.json', 'alice', 'PENDING', 'file', 'artifacts/summary.json', 'application/json', now())", job);
        Files.createDirectories(store.artifacts(job));
        Files.writeString(store.artifacts(job).resolve("summary.json.part"), "{\"hits\": 3, \"perQ");
        execute("INSERT INTO artifacts.finalization (job_id, owner, job_status, state, attempts, next_attempt_at,"
                + " lease_until, created_at, updated_at) VALUES (?, 'alice', 'SUCCEEDED', 'building', 1,"
                + " now() - interval '1 minute', now() - interval '1 second', now(), now())", job);

        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("done");
        assertThat(finalization.get("attempts")).isEqualTo(2);
        assertThat(artifacts(job).values()).allSatisfy(row -> assertThat(row.get("state")).isEqualTo("READY"));
        assertThat(json.readTree(store.artifacts(job).resolve("summary.json").toFile()).get("hits").asInt()).isEqualTo(HIT_LINES);
        try (var files = Files.list(store.artifacts(job))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
        assertThat(count("SELECT count(*) FROM artifacts.hit WHERE job_id = ?", job)).isEqualTo(HIT_LINES);
        List<ArtifactStateEvent> events = artifactEvents(job, e -> e.stream().anyMatch(a -> a.name().equals("manifest.json")));
        assertThat(events).extracting(ArtifactStateEvent::name).doesNotContain("hits.tsv").contains("summary.json", "manifest.json");
    }

    @Test
    void aPartThatKeepsFailingIsRetriedWithBackoffThenSettlesFailedWithItsError() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        JobServiceStandIn.UNAVAILABLE.add(job.toString());
        publishTerminal(job, "alice");

        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("failed");
        assertThat(finalization.get("attempts")).isEqualTo(3);
        assertThat((String) finalization.get("last_error")).contains("steps.json", "503");

        List<Instant> calls = JobServiceStandIn.requests(job.toString()).stream().map(JobServiceStandIn.Request::at).toList();
        assertThat(calls).hasSize(3);
        assertThat(Duration.between(calls.get(0), calls.get(1))).isGreaterThanOrEqualTo(atLeast(backoff().delay(1)));
        assertThat(Duration.between(calls.get(1), calls.get(2))).isGreaterThanOrEqualTo(atLeast(backoff().delay(2)));

        Map<String, Map<String, Object>> rows = artifacts(job);
        assertThat(rows.get("steps.json").get("state")).isEqualTo("FAILED");
        assertThat((String) rows.get("steps.json").get("error")).contains("503");
        assertThat(rows.get("manifest.json").get("state")).isEqualTo("FAILED");
        assertThat(rows.get("summary.json").get("state")).isEqualTo("READY");
        assertThat(rows.get("hits").get("state")).isEqualTo("READY");

        List<ArtifactStateEvent> events = artifactEvents(job,
                e -> e.stream().filter(a -> a.state() == ArtifactState.FAILED).count() >= 2);
        assertThat(events).filteredOn(e -> e.state() == ArtifactState.FAILED).extracting(ArtifactStateEvent::name)
                .containsExactlyInAnyOrder("steps.json", "manifest.json");
    }

    @Test
    void withoutLogLinesTheBuildLooksABoundedNumberOfTimesThenSettlesWithTheRestReady() throws Exception {
        UUID job = finishedJob();
        publishTerminal(job, "alice");

        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("done");
        assertThat(finalization.get("attempts")).isEqualTo(2);
        assertThat((String) finalization.get("last_error")).contains("No log lines");
        Map<String, Map<String, Object>> rows = artifacts(job);
        assertThat(rows.keySet()).noneMatch(name -> name.startsWith("log-"));
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.get("state")).isEqualTo("READY"));
        assertThat(rows).containsKeys("summary.json", "alignments.txt", "steps.json", "hits", "manifest.json");
    }

    @Test
    void anUnreadableHitsFileFailsItsPartsNotTheOthers() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        StoreLayout store = new StoreLayout(storeRoot);
        Files.writeString(store.results(job).resolve("hits.tsv"), "q1\ts1\tnot-a-number\t10\t0\t0\t1\t10\t1\t10\t1e-30\t50\tMK\tMK\n");
        publishTerminal(job, "alice");

        Map<String, Object> finalization = awaitSettled(job);
        assertThat(finalization.get("state")).isEqualTo("failed");
        Map<String, Map<String, Object>> rows = artifacts(job);
        assertThat(rows.get("hits").get("state")).isEqualTo("FAILED");
        assertThat((String) rows.get("hits").get("error")).contains("pident", "not-a-number");
        assertThat(rows.get("steps.json").get("state")).isEqualTo("READY");
        assertThat(rows.get("log-0001.txt.gz").get("state")).isEqualTo("READY");
        assertThat(count("SELECT count(*) FROM artifacts.hit WHERE job_id = ?", job)).isZero();
    }

    @Test
    void aDeletedJobLosesItsFinalizationHitsArtifactsAndFolder() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        publishTerminal(job, "alice");
        assertThat(awaitSettled(job).get("state")).isEqualTo("done");
        assertThat(count("SELECT count(*) FROM artifacts.hit WHERE job_id = ?", job)).isEqualTo(HIT_LINES);

        KafkaRecords.send(kafka, Topics.JOB_DELETED, job.toString(), new EventSerializer(),
                List.of(new JobDeletedEvent(1, job, "alice", "retention", Instant.now())));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM artifacts.finalization WHERE job_id = ?", job)).isZero();
            assertThat(count("SELECT count(*) FROM artifacts.artifact WHERE job_id = ?", job)).isZero();
            assertThat(new StoreLayout(storeRoot).jobDir(job)).doesNotExist();
        });
        assertThat(count("SELECT count(*) FROM artifacts.hit WHERE job_id = ?", job)).isZero();
    }

    @Test
    void aBuildWhoseJobIsDeletedUnderItWritesNoRowsAndLeavesNoFiles() throws Exception {
        UUID job = finishedJob();
        spoolOneLine(job);
        // a replica's claim whose sentinel the job's deletion has just removed: the build still runs
        Claim claim = new Claim(job, "alice", JobStatus.SUCCEEDED, null, 1);
        CompletableFuture<Void> built = new CompletableFuture<>();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> builder.build(claim).subscribe().with(built::complete, built::completeExceptionally));
        built.get(30, TimeUnit.SECONDS);

        assertThat(count("SELECT count(*) FROM artifacts.artifact WHERE job_id = ?", job)).isZero();
        assertThat(count("SELECT count(*) FROM artifacts.hit WHERE job_id = ?", job)).isZero();
        assertThat(count("SELECT count(*) FROM artifacts.finalization WHERE job_id = ?", job)).isZero();
        assertThat(new StoreLayout(storeRoot).jobDir(job)).doesNotExist();
    }

    // ---- fixtures

    /** Whether the job's artifact list, as {@code user} reads it, has its manifest and log and every item ready. */
    private boolean allReady(UUID job, String user) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(root.resolve("/api/v1/jobs/" + job + "/artifacts"))
                .header(AegisHeaders.IDENTITY, TestCallers.identity(user)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return false;
        }
        List<JsonNode> items = new ArrayList<>();
        json.readTree(response.body()).get("items").forEach(items::add);
        return items.stream().anyMatch(item -> item.get("name").asText().equals("manifest.json"))
                && items.stream().anyMatch(item -> item.get("name").asText().equals("log-0001.txt.gz"))
                && items.stream().allMatch(item -> item.get("state").asText().equals("ready"));
    }

    private UUID finishedJob() throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Path results = Files.createDirectories(store.results(job));
        Files.writeString(results.resolve("hits.tsv"), HITS);
        Files.writeString(results.resolve("hits.json"), "{\"columns\": ["
                + COLUMNS.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "))
                + "], \"types\": [" + TYPES.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))
                + "], \"queries\": [{\"id\": \"q1\", \"hits\": []}]}");
        Files.writeString(results.resolve("run.log"), "worker: done\n");
        Files.writeString(store.input(job), INPUT);
        return job;
    }

    /** A log line already spooled, as if the log consumer had caught up before the job ended. */
    private void spoolOneLine(UUID job) throws Exception {
        Path logs = Files.createDirectories(new StoreLayout(storeRoot).logs(job));
        Files.writeString(logs.resolve("spool.tsv"), "1\t1\t2030-01-01T10:00:00Z\tstdout\tworker\tsearch\tsearching\n");
    }

    private static JobLogEvent log(UUID job, long seq, String line, Instant at) {
        return new JobLogEvent(JobLogEvent.SCHEMA, job, 1, seq, "search", LogStream.STDOUT, "blastp", line, at);
    }

    private void publishTerminal(UUID job, String owner) {
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(terminal(job, owner)));
    }

    private static JobStateEvent terminal(UUID job, String owner) {
        return new JobStateEvent(1, job, owner, JobStatus.SUCCEEDED, "finalize", 1, 1, null, null, 1, 9, null, Instant.now());
    }

    /** The backoff the service was configured with (the test profile's is short). */
    private Backoff backoff() {
        return new Backoff(config.retryBackoff(), config.retryBackoffMax());
    }

    /** A wait of {@code delay}, less the 5 % by which the database's clock and this JVM's may read apart. */
    private static Duration atLeast(Duration delay) {
        return delay.multipliedBy(95).dividedBy(100);
    }

    private Map<String, Object> awaitSettled(UUID job) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> finalization(job), row -> row != null
                        && ("done".equals(row.get("state")) || "failed".equals(row.get("state"))));
    }

    private Map<String, Object> finalization(UUID job) throws Exception {
        List<Map<String, Object>> rows = query("SELECT * FROM artifacts.finalization WHERE job_id = ?", job);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    private Map<String, Map<String, Object>> artifacts(UUID job) throws Exception {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        query("SELECT * FROM artifacts.artifact WHERE job_id = ? ORDER BY name", job)
                .forEach(row -> byName.put((String) row.get("name"), row));
        return byName;
    }

    private List<ArtifactStateEvent> artifactEvents(UUID job, Predicate<List<ArtifactStateEvent>> done) {
        return artifactEvents(job, done, Duration.ofSeconds(20));
    }

    private List<ArtifactStateEvent> artifactEvents(UUID job, Predicate<List<ArtifactStateEvent>> done, Duration timeout) {
        return KafkaRecords.read(kafka, Topics.ARTIFACT_STATE, job.toString(), new ArtifactStateDeserializer(), done, timeout);
    }

    private long count(String sql, Object... args) throws Exception {
        return (Long) query(sql, args).getFirst().get("count");
    }

    private void execute(String sql, Object... args) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = prepare(connection, sql, args)) {
            statement.executeUpdate();
        }
    }

    private List<Map<String, Object>> query(String sql, Object... args) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = prepare(connection, sql, args);
             ResultSet result = statement.executeQuery()) {
            ResultSetMetaData meta = result.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws Exception {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
