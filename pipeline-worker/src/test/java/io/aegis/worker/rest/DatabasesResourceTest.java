package io.aegis.worker.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobProgressDeserializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registering databases over HTTP, against the real makeblastdb; the same test resource as
 * {@code PipelineRunTest}, so the application boots once for both.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DatabasesResourceTest {

    private static final String PROTEINS = """
            >REG1 registered protein one
            MDGSKSPYMVNRNADVMTELGVDLKNNPIAIIPIRKIRKIYPNPDTEQVWRRIVHLEALC
            IFWTQSIPLAQMTAAKTNANQAGHLGYFELLKKIQMRGLYITLIPMKVSLYILGAKWKLV
            >REG2 registered protein two
            SGEHHDNILVCARVSPGSEYWNIEQRTVVKRKVGDGCSSGANKFEKFLMAVQGSLLTVIN
            DHFDRPGHIEKEAIWRQ
            >REG3
            VDSMRAIGEVHRPLEHKSIKLTSAADKTQLAVLRKKGGYAKDPGIPFPRDFDGSAKKLRV
            """;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "aegis.databases.source-dir")
    Path sourceDir;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @ConfigProperty(name = "aegis.databases.max-upload-bytes")
    long maxUpload;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private final List<String> registered = new ArrayList<>();

    /** A name no earlier run used: registered databases outlive a run in target/. */
    private String name() {
        String name = "reg-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        registered.add(name);
        return name;
    }

    @AfterEach
    void unregister() throws Exception {
        for (String name : registered) {
            Awaitility.await().atMost(WAIT).until(() -> !"building".equals(state(name)));
            Files.deleteIfExists(sourceDir.resolve(name + ".fasta"));
            Files.deleteIfExists(storeRoot.resolve("databases/.failed/" + name + ".properties"));
            Path built = new StoreLayout(storeRoot).database(name);
            if (Files.exists(built)) {
                try (Stream<Path> files = Files.walk(built)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void aRegisteredProteinFastaIsBuildingAtOnceThenReadyAndAJobCanSearchIt() throws Exception {
        String name = name();
        registerJson(name, PROTEINS, false).statusCode(202)
                .header("Location", "/api/v1/databases/" + name)
                .body("name", equalTo(name)).body("state", equalTo("building"))
                .body("type", equalTo("protein")).body("sequences", equalTo(3))
                .body("version", matchesPattern("[0-9a-f]{12}")).body("error", nullValue());

        Awaitility.await().atMost(WAIT).until(() -> "ready".equals(state(name)));
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases/" + name).then().statusCode(200)
                .body("type", equalTo("protein")).body("sequences", equalTo(3)).body("residues", equalTo(120 + 77 + 60))
                .body("error", nullValue());
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.state", equalTo("ready"))
                .body("find { it.name == 'testdb' }.state", equalTo("ready"));

        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.jobDir(job));
        Files.writeString(store.input(job), ">q1\nSGEHHDNILVCARVSPGSEYWNIEQRTVVKRKVGDGCSS\n");
        KafkaRecords.send(kafka, Topics.JOB_REQUESTED, job.toString(), new EventSerializer(), List.of(
                new JobRequestedEvent(JobRequestedEvent.SCHEMA, job, "alice", "blast", name, Map.of("program", "blastp"),
                        StoreLayout.inputRef(job), 1, 1, Instant.now())));
        List<JobProgressEvent> progress = KafkaRecords.read(kafka, Topics.JOB_PROGRESS, job.toString(),
                new JobProgressDeserializer(), l -> l.stream().anyMatch(e -> e.status().isTerminal()), WAIT);
        assertThat(progress.getLast().status()).as("%s", progress).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(Files.readString(store.results(job).resolve("hits.tsv"))).startsWith("q1\tREG2\t100.000");
    }

    @Test
    void aMultipartRegistrationTakesTheNameAndTheFilePart() {
        String name = name();
        given().header(AegisHeaders.IDENTITY, TestCallers.admin("alice"))
                .multiPart("name", name).multiPart("file", "proteins.fasta", PROTEINS.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/databases")
                .then().statusCode(202).body("state", equalTo("building")).body("sequences", equalTo(3));
        Awaitility.await().atMost(WAIT).until(() -> "ready".equals(state(name)));
    }

    @Test
    void aNameThatExistsIsRefusedWith409UnlessReplaceIsAsked() {
        String name = name();
        registerJson(name, PROTEINS, false).statusCode(202);
        Awaitility.await().atMost(WAIT).until(() -> "ready".equals(state(name)));
        registerJson(name, PROTEINS, false).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("DATABASE_EXISTS")).body("status", equalTo(409));
        registerJson("testdb", PROTEINS, false).statusCode(409).body("code", equalTo("DATABASE_EXISTS"));

        given().header(AegisHeaders.IDENTITY, TestCallers.admin("alice")).contentType(ContentType.JSON).queryParam("replace", true)
                .body(Map.of("name", name, "fasta", PROTEINS + ">REG4\nMEEPQSDPSVEPPLSQETFSDLWKLL\n"))
                .post("/api/v1/databases").then().statusCode(202).body("sequences", equalTo(4));
        Awaitility.await().atMost(WAIT).until(() -> "ready".equals(state(name)));
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases/" + name).then().body("sequences", equalTo(4));
    }

    @Test
    void aBadNameIsRefusedWith400() {
        for (String name : List.of("../escape", ".hidden", "with space", "x".repeat(65))) {
            registerJson(name, PROTEINS, false).statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("INVALID_DATABASE_NAME")).body("errors[0].field", equalTo("name"));
        }
        given().header(AegisHeaders.IDENTITY, TestCallers.admin("alice"))
                .contentType(ContentType.JSON).body(Map.of("fasta", PROTEINS))
                .post("/api/v1/databases").then().statusCode(400).body("code", equalTo("INVALID_DATABASE_NAME"));
        given().header(AegisHeaders.IDENTITY, TestCallers.admin("alice")).contentType(ContentType.JSON).body("{broken")
                .post("/api/v1/databases").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_REQUEST"));
    }

    @Test
    void invalidFastaIsRefusedWith400AndNothingIsLeftInTheSourceFolder() throws Exception {
        List<String> before = sourceFolder();
        String name = name();
        registerJson(name, ">a\nMKTAYIAK\n>a\nMKTAYIAK\n", false).statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("INVALID_FASTA"))
                .body("detail", equalTo("Line 3: sequence id 'a' appears twice.")).body("errors[0].field", equalTo("fasta"));
        registerJson(name, "no header\n", false).statusCode(400).body("code", equalTo("INVALID_FASTA"));
        given().header(AegisHeaders.IDENTITY, TestCallers.admin("alice")).multiPart("name", name)
                .multiPart("file", "bad.fasta", ">x\nMK 42\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/databases").then().statusCode(400).body("code", equalTo("INVALID_FASTA"));
        assertThat(sourceFolder()).isEqualTo(before);
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases/" + name).then().statusCode(404).body("code", equalTo("DATABASE_NOT_FOUND"));
    }

    @Test
    void aFastaOverTheUploadLimitIsRefusedWith413() throws Exception {
        List<String> before = sourceFolder();
        String name = name();
        // just over the limit: counted as it is copied
        String over = ">big\n" + "M".repeat((int) maxUpload) + "\n";
        given().header(AegisHeaders.IDENTITY, TestCallers.admin("alice")).multiPart("name", name)
                .multiPart("file", "big.fasta", over.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/databases").then().statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("INPUT_TOO_LARGE"));
        // far over: refused by its declared length before it is read
        String far = ">big\n" + "M".repeat((int) (3 * maxUpload)) + "\n";
        registerJson(name, far, false).statusCode(413).body("code", equalTo("INPUT_TOO_LARGE"));
        assertThat(sourceFolder()).isEqualTo(before);
    }

    @Test
    void registeringNeedsAnAdministratorVouchedForByAnotherServiceAndUnknownDatabasesAreNotFound() throws Exception {
        List<String> before = sourceFolder();
        given().contentType(ContentType.JSON).body(Map.of("name", "nobody", "fasta", PROTEINS))
                .post("/api/v1/databases").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        // the admin check is made here too, not only at the gateway
        given().header(AegisHeaders.USER, "alice").header(AegisHeaders.ADMIN, "true").contentType(ContentType.JSON)
                .body(Map.of("name", "bare", "fasta", PROTEINS))
                .post("/api/v1/databases").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("bob")).header(AegisHeaders.ADMIN, "true")
                .contentType(ContentType.JSON).body(Map.of("name", "notadmin", "fasta", PROTEINS))
                .post("/api/v1/databases").then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("FORBIDDEN"));
        given().header(AegisHeaders.IDENTITY, TestCallers.forged("alice")).multiPart("name", "forged")
                .multiPart("file", "p.fasta", PROTEINS.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/databases").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        assertThat(sourceFolder()).isEqualTo(before);
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases/nope").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("DATABASE_NOT_FOUND"));
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases").then().body("name", hasItem("testdb"));
    }

    private static ValidatableResponse registerJson(String name, String fasta, boolean replace) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.admin("alice")).contentType(ContentType.JSON)
                .queryParam("replace", replace).body(Map.of("name", name, "fasta", fasta))
                .post("/api/v1/databases").then();
    }

    private static String state(String name) {
        var response = given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases/" + name);
        return response.statusCode() == 200 ? response.jsonPath().getString("state") : "absent";
    }

    private List<String> sourceFolder() throws Exception {
        try (Stream<Path> files = Files.list(sourceDir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
