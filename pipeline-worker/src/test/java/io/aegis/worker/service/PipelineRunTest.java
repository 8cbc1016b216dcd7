package io.aegis.worker.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobLogDeserializer;
import io.aegis.events.kafka.JobProgressDeserializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PipelineRunTest {

    private static final Path QUERIES = Path.of("src/test/resources/queries.fasta");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Test
    void aBlastpJobRunsEveryStepAndItsHitsEqualBlastpRunDirectly() throws Exception {
        UUID job = request("blastp", "testdb");
        List<JobProgressEvent> progress = until(job, Topics.JOB_PROGRESS, new JobProgressDeserializer(),
                events -> events.stream().anyMatch(e -> e.status().isTerminal()));
        JobProgressEvent last = progress.getLast();
        assertThat(last.status()).as(progress.toString()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(last.done()).isEqualTo(6);
        assertThat(progress).extracting(JobProgressEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(progress.stream().filter(e -> e.stepStatus() == StepStatus.RUNNING).map(JobProgressEvent::step))
                .containsExactlyElementsOf(Steps.BLAST);

        List<JobLogEvent> logs = until(job, Topics.JOB_LOG, new JobLogDeserializer(), events -> !events.isEmpty());
        assertThat(logs).anySatisfy(l -> assertThat(l.line()).startsWith("batch 1/"));

        StoreLayout store = new StoreLayout(storeRoot);
        List<String> hits = Files.readAllLines(store.results(job).resolve("hits.tsv"));
        assertThat(hits).isNotEmpty().isEqualTo(blastpDirectly());
        assertThat(store.results(job).resolve("run.log")).exists();
        assertThat(store.root().resolve("scratch").resolve(job + "-1")).doesNotExist();
    }

    @Test
    void blastnAgainstAProteinDatabaseFailsWithAClearCode() throws Exception {
        UUID job = request("blastn", "testdb");
        JobProgressEvent last = until(job, Topics.JOB_PROGRESS, new JobProgressDeserializer(),
                events -> events.stream().anyMatch(e -> e.status().isTerminal())).getLast();
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.errorCode()).isEqualTo("DATABASE_TYPE_MISMATCH");
        assertThat(last.error()).contains("nucleotide database");
        assertThat(new StoreLayout(storeRoot).results(job).resolve("hits.tsv")).doesNotExist();
    }

    @Test
    void anUnknownDatabaseFailsWithAClearCode() throws Exception {
        UUID job = request("blastp", "nope");
        JobProgressEvent last = until(job, Topics.JOB_PROGRESS, new JobProgressDeserializer(),
                events -> events.stream().anyMatch(e -> e.status().isTerminal())).getLast();
        assertThat(last.errorCode()).isEqualTo("DATABASE_NOT_FOUND");
    }

    @Test
    void theCatalogListsTheRegisteredDatabaseWithItsCounts() {
        given().get("/api/v1/databases").then().statusCode(200)
                .body("name", hasItem("testdb")).body("find { it.name == 'testdb' }.sequences", org.hamcrest.Matchers.equalTo(24))
                .body("find { it.name == 'testdb' }.type", org.hamcrest.Matchers.equalTo("protein"));
        given().get("/api/v1/pipelines").then().statusCode(200).body("name", hasItem("blast"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    private UUID request(String program, String database) throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.jobDir(job));
        Files.copy(QUERIES, store.input(job));
        KafkaRecords.send(kafka, Topics.JOB_REQUESTED, job.toString(), new EventSerializer(), List.of(
                new JobRequestedEvent(JobRequestedEvent.SCHEMA, job, "alice", "blast", database, Map.of("program", program),
                        StoreLayout.inputRef(job), 6, 1, Instant.now())));
        return job;
    }

    private <T> List<T> until(UUID job, String topic, Deserializer<T> type, Predicate<List<T>> done) {
        List<T> values = KafkaRecords.read(kafka, topic, job.toString(), type, done, Duration.ofSeconds(60));
        assertThat(done.test(values)).as("events of job %s on %s: %s", job, topic, values).isTrue();
        return values;
    }

    private static List<String> blastpDirectly() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "direct-");
        run(dir, "makeblastdb", "-in", Path.of("src/test/resources/databases/testdb.fasta").toAbsolutePath().toString(),
                "-dbtype", "prot", "-out", "db/testdb", "-parse_seqids");
        run(dir, "blastp", "-query", QUERIES.toAbsolutePath().toString(), "-db", "db/testdb",
                "-outfmt", BlastPipeline.OUTFMT, "-out", "hits.tsv");
        return Files.readAllLines(dir.resolve("hits.tsv"));
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
