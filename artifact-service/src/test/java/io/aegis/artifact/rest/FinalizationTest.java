package io.aegis.artifact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.aegis.artifact.Announcements;
import io.aegis.artifact.service.JobServiceStandIn;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobDeletedEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
class FinalizationTest {

    private static final String HITS = "q1\ts1\t99.0\t50\t0\t0\t1\t50\t1\t50\t1e-30\t100\n";
    private static final String HITS_JSON = "{\"columns\": [\"qseqid\", \"sseqid\", \"pident\", \"length\", \"mismatch\","
            + " \"gapopen\", \"qstart\", \"qend\", \"sstart\", \"send\", \"evalue\", \"bitscore\"], \"queries\": []}";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Test
    void aFinishedJobGetsAManifestOnceEvenWhenItsTerminalStateArrivesTwice() throws Exception {
        UUID job = finishedJob("alice");
        // the duplicate, then another job's end on the same partition: once that one is taken up, so was the duplicate
        UUID later = finishedJob("alice");
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(),
                List.of(terminal(job, "alice"), terminal(job, "alice"), terminal(later, "alice")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                        .then().statusCode(200)
                        .body("items.find { it.name == 'manifest.json' }.state", equalTo("ready")));
        String expectedSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(HITS.getBytes()));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().body("items.find { it.name == 'hits.tsv' }.sha256", equalTo(expectedSha))
                .body("items.find { it.name == 'hits.tsv' }.size", equalTo(HITS.length()));

        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/hits.tsv")
                .then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/tab-separated-values"))
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("filename=\"hits.tsv\""))
                .body(equalTo(HITS));
        String manifest = given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice"))
                .get("/api/v1/jobs/" + job + "/artifacts/manifest.json").then().statusCode(200).extract().asString();
        assertThat(manifest).contains("\"sha256\":\"" + expectedSha + "\"");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + later + "/artifacts")
                        .then().statusCode(200));
        // a duplicate build would have started by now, and announced again what it made ready
        List<ArtifactStateEvent> events = Announcements.through(kafka, job, "manifest.json");
        assertThat(events).filteredOn(e -> e.name().equals("hits.tsv")).hasSize(1)
                .allSatisfy(e -> assertThat(e.state()).isEqualTo(ArtifactState.READY));
        assertThat(events).filteredOn(e -> e.name().equals("manifest.json")).hasSize(1);
    }

    @Test
    void aRetriedJobThatSucceedsHasItsArtifactsBuiltAgainFromTheNewAttemptsResultsOnce() throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.results(job));
        Files.writeString(store.input(job), ">q1\nMKT\n");
        Files.writeString(store.results(job).resolve("run.log"), "worker stderr: TOOL_FAILED: blastp exited with 139\n");
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(new JobStateEvent(1, job,
                "alice", JobStatus.FAILED, "search", 0, 1, "blastp exited with 139", "TOOL_FAILED", 1, 5, null,
                Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                        .then().statusCode(200)
                        .body("items.find { it.name == 'manifest.json' }.state", equalTo("ready"))
                        .body("items.find { it.name == 'hits.tsv' }", nullValue()));

        // retried: attempt 2 wrote its results and succeeded; its end arrives twice
        String runLog = "worker stdout: batch 1/1: reused from an earlier attempt\n";
        Files.writeString(store.results(job).resolve("hits.tsv"), HITS);
        Files.writeString(store.results(job).resolve("hits.json"), HITS_JSON);
        Files.writeString(store.results(job).resolve("run.log"), runLog);
        JobStateEvent succeeded = new JobStateEvent(1, job, "alice", JobStatus.SUCCEEDED, "finalize", 1, 1, null, null,
                2, 12, null, Instant.now());
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(succeeded, succeeded));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                        .then().statusCode(200)
                        .body("items.find { it.name == 'hits.tsv' }.state", equalTo("ready"))
                        .body("items.find { it.name == 'manifest.json' }.state", equalTo("ready")));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().body("items.find { it.name == 'run.log' }.size", equalTo(runLog.length()))
                .body("items.find { it.name == 'hits.tsv' }.size", equalTo(HITS.length()));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/hits.tsv")
                .then().statusCode(200).body(equalTo(HITS));
        assertThat(given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice"))
                .get("/api/v1/jobs/" + job + "/artifacts/manifest.json").then().statusCode(200).extract().asString())
                .contains("hits.tsv");
        List<ArtifactStateEvent> events = Announcements.through(kafka, job, "manifest.json");
        assertThat(events).filteredOn(e -> e.name().equals("hits.tsv") && e.state() == ArtifactState.READY)
                .as("built once for attempt 2, its duplicate end notwithstanding").hasSize(1)
                .allSatisfy(e -> assertThat(e.attempt()).as("the attempt it was built for").isEqualTo(2));
        assertThat(events).filteredOn(e -> e.name().equals("manifest.json")).extracting(ArtifactStateEvent::attempt)
                .as("the manifest of each end, each with its attempt").containsExactly(1, 2);
    }

    @Test
    void aJobOfTheCallersListsWhatItWillHavePendingUntilItsFinalizationStartsAndAnotherUsersIsNotFound() throws Exception {
        UUID job = finishedJob("alice");
        JobServiceStandIn.submitted(job, "alice", JobStatus.RUNNING, null);

        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().statusCode(200)
                .body("jobId", equalTo(job.toString()))
                .body("items.name", contains("hits", "hits.json", "hits.tsv", "input.fasta", "manifest.json", "run.log",
                        "steps.json", "summary.json"))
                .body("items.state", everyItem(equalTo("pending")))
                .body("items.find { it.name == 'hits' }.kind", equalTo("table"))
                .body("items.find { it.name == 'hits.tsv' }.kind", equalTo("file"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().statusCode(404).body("code", equalTo("ARTIFACTS_NOT_FOUND"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + UUID.randomUUID() + "/artifacts")
                .then().statusCode(404).body("code", equalTo("ARTIFACTS_NOT_FOUND"));

        publishTerminal(job, "alice");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                        .then().statusCode(200)
                        .body("items.find { it.name == 'manifest.json' }.state", equalTo("ready"))
                        .body("items.state", everyItem(equalTo("ready"))));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().statusCode(404);
    }

    @Test
    void whetherAJobIsTheCallersCannotBeToldWhileJobServiceCannotSayAndTheListSaysSo() {
        UUID job = UUID.randomUUID();
        JobServiceStandIn.unavailable(job);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5").body("code", equalTo("SERVICE_UNAVAILABLE"));
    }

    @Test
    void anotherUsersArtifactsAndHostileNamesAreNotFound() throws Exception {
        UUID job = finishedJob("alice");
        publishTerminal(job, "alice");
        // the list answers as soon as the finalization is due; the input downloads once it is built
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts")
                        .then().statusCode(200).body("items.find { it.name == 'input.fasta' }.state", equalTo("ready")));

        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + job + "/artifacts").then().statusCode(404);
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + job + "/artifacts/hits.tsv")
                .then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).urlEncodingEnabled(false)
                .get("/api/v1/jobs/" + job + "/artifacts/..%2F..%2F..%2Fetc%2Fpasswd").then().statusCode(404);
        // the job's input is its owner's artifact like any other, ranges included; nobody else's
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts/input.fasta")
                .then().statusCode(200).contentType(startsWith("text/x-fasta")).body(equalTo(">q1\nMKT\n"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).header("Range", "bytes=1-2")
                .get("/api/v1/jobs/" + job + "/artifacts/input.fasta").then().statusCode(206).body(equalTo("q1"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + job + "/artifacts/input.fasta")
                .then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
        given().get("/api/v1/jobs/" + job + "/artifacts/input.fasta").then().statusCode(401);
        given().get("/api/v1/jobs/" + job + "/artifacts").then().statusCode(401);
    }

    @Test
    void aJobThatReusedAnotherJobsResultsGetsThemAsItsOwnArtifacts() throws Exception {
        UUID source = finishedJob("alice");
        UUID reuser = UUID.randomUUID();
        KafkaRecords.send(kafka, Topics.JOB_STATE, reuser.toString(), new EventSerializer(), List.of(new JobStateEvent(1,
                reuser, "bob", JobStatus.SUCCEEDED, null, 1, 1, null, null, 1, 0, source, Instant.now())));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + reuser + "/artifacts")
                        .then().statusCode(200)
                        .body("items.find { it.name == 'manifest.json' }.state", equalTo("ready")));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + reuser + "/artifacts/hits.tsv")
                .then().statusCode(200).body(equalTo(HITS));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).get("/api/v1/jobs/" + source + "/artifacts").then().statusCode(404);
    }

    @Test
    void aDeletedJobLosesItsFilesAndArtifacts() throws Exception {
        UUID job = finishedJob("alice");
        publishTerminal(job, "alice");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts").then().statusCode(200));

        KafkaRecords.send(kafka, Topics.JOB_DELETED, job.toString(), new EventSerializer(),
                List.of(new JobDeletedEvent(1, job, "alice", "retention", Instant.now())));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/artifacts").then().statusCode(404));
        assertThat(new StoreLayout(storeRoot).jobDir(job)).doesNotExist();
    }

    @Test
    void aUsersStoreUsageIsTheBytesOfTheirOwnJobsFilesOnly() throws Exception {
        String owner = "usage-" + UUID.randomUUID();
        UUID job = finishedJob(owner);
        publishTerminal(job, owner);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header(AegisHeaders.IDENTITY, TestCallers.identity(owner)).get("/api/v1/jobs/" + job + "/artifacts")
                        .then().statusCode(200)
                        .body("items.find { it.name == 'manifest.json' }.state", equalTo("ready")));
        List<Integer> sizes = given().header(AegisHeaders.IDENTITY, TestCallers.identity(owner))
                .get("/api/v1/jobs/" + job + "/artifacts").then().extract().path("items.findAll { it.kind == 'file' }.size");
        long files = sizes.stream().mapToLong(Integer::longValue).sum();
        assertThat(files).isGreaterThan(HITS.length());

        given().header(AegisHeaders.IDENTITY, TestCallers.identity(owner)).get("/api/v1/usage")
                .then().statusCode(200)
                .body("user", equalTo(owner)).body("storeBytes", equalTo((int) files)).body("jobs", equalTo(1));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("usage-nobody-" + UUID.randomUUID())).get("/api/v1/usage")
                .then().statusCode(200).body("storeBytes", equalTo(0)).body("jobs", equalTo(0));
        given().get("/api/v1/usage").then().statusCode(401);
    }

    private UUID finishedJob(String owner) throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.results(job));
        Files.writeString(store.results(job).resolve("hits.tsv"), HITS);
        Files.writeString(store.results(job).resolve("hits.json"), HITS_JSON);
        Files.writeString(store.results(job).resolve("run.log"), "worker: done\n");
        Files.writeString(store.input(job), ">q1\nMKT\n");
        return job;
    }

    private void publishTerminal(UUID job, String owner) {
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(terminal(job, owner)));
    }

    private static JobStateEvent terminal(UUID job, String owner) {
        return new JobStateEvent(1, job, owner, JobStatus.SUCCEEDED, "finalize", 1, 1, null, null, 1, 9, null, Instant.now());
    }
}
