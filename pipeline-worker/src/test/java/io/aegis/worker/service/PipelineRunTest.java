package io.aegis.worker.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobControlEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobLogDeserializer;
import io.aegis.events.kafka.JobProgressDeserializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The worker against a real Kafka broker and real BLAST: jobs go in on {@code aegis.job.requested},
 * and what a user would see comes out on {@code aegis.job.progress} and {@code aegis.job.log}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PipelineRunTest {

    private static final Path QUERIES = Path.of("src/test/resources/queries.fasta");
    private static final Path TESTDB = Path.of("src/test/resources/databases/testdb.fasta");
    private static final int QUERY_COUNT = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Lines the faults pipeline's flooding tool prints (see src/test/resources/pipelines/faults.json). */
    private static final long FLOOD_LINES = 100_000;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Test
    void aBlastpJobRunsEveryStepInOrderAndItsHitsEqualBlastpRunDirectly() throws Exception {
        UUID job = UUID.randomUUID();
        writeInput(job, Files.readString(QUERIES));
        request(job, "testdb", Map.of("program", "blastp"));

        List<JobProgressEvent> progress = untilTerminal(job);
        JobProgressEvent last = progress.getLast();
        assertThat(last.status()).as("%s", progress).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(last.step()).isEqualTo(Steps.FINALIZE);
        assertThat(last.done()).isEqualTo(last.total()).isEqualTo(QUERY_COUNT);
        assertThat(progress.stream().filter(e -> e.stepStatus() == StepStatus.RUNNING).map(JobProgressEvent::step))
                .containsExactlyElementsOf(Steps.BLAST);
        assertThat(progress.stream().filter(e -> e.stepStatus() == StepStatus.COMPLETED).map(JobProgressEvent::step))
                .containsExactlyElementsOf(Steps.BLAST);
        assertThat(progress).filteredOn(e -> e.status().isTerminal()).hasSize(1);
        // the test profile's small batches make several batches, each reported as it finishes
        List<Integer> doneAfterBatches = progress.stream()
                .filter(e -> !e.heartbeat() && e.stepStatus() == null).map(JobProgressEvent::done).toList();
        assertThat(doneAfterBatches).hasSizeGreaterThan(1).isSorted().endsWith(QUERY_COUNT);

        Predicate<JobLogEvent> batchLine = l -> "worker".equals(l.source()) && l.line().startsWith("batch ");
        List<JobLogEvent> logs = events(job, Topics.JOB_LOG, JobLogDeserializer.class,
                l -> l.stream().filter(batchLine).count() >= doneAfterBatches.size());
        assertThat(logs).filteredOn(batchLine).hasSize(doneAfterBatches.size())
                .allSatisfy(l -> assertThat(l.line()).matches("batch \\d+/" + doneAfterBatches.size()
                        + ": \\d+ sequences?, blastp"));
        assertThat(logs).allSatisfy(l -> assertThat(l.step()).isEqualTo(Steps.SEARCH));

        // progress and log events of the attempt share one sequence: no number twice, each stream in order
        assertThat(progress).extracting(JobProgressEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(logs).extracting(JobLogEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(Stream.concat(progress.stream().map(JobProgressEvent::seq), logs.stream().map(JobLogEvent::seq)))
                .doesNotHaveDuplicates().allSatisfy(seq -> assertThat(seq).isPositive());
        assertThat(last.seq()).isEqualTo(LongStream.concat(progress.stream().mapToLong(JobProgressEvent::seq),
                logs.stream().mapToLong(JobLogEvent::seq)).max().orElseThrow());

        StoreLayout store = new StoreLayout(storeRoot);
        List<String> hits = Files.readAllLines(store.results(job).resolve("hits.tsv"));
        assertThat(hits).isNotEmpty().isEqualTo(blastpDirectly(BLAST_COLUMNS));
        assertArchived(store, job, "blastp", doneAfterBatches.size());
        JsonNode json = new ObjectMapper().readTree(store.results(job).resolve("hits.json").toFile());
        assertThat(json.get("queries")).extracting(q -> q.get("id").asText())
                .containsExactlyElementsOf(Files.readString(QUERIES).lines().filter(l -> l.startsWith(">"))
                        .map(l -> l.substring(1).split("\\s")[0]).toList());
        int jsonHits = 0;
        for (JsonNode query : json.get("queries")) {
            for (JsonNode hit : query.get("hits")) {
                assertThat(hits.get(jsonHits)).startsWith(query.get("id").asText() + "\t" + hit.get("sseqid").asText() + "\t");
                assertThat(hit.get("evalue").isNumber()).isTrue();
                jsonHits++;
            }
        }
        assertThat(jsonHits).isEqualTo(hits.size());
        assertThat(store.results(job)).isDirectoryNotContaining("glob:**.part");
        assertThat(Files.readString(store.results(job).resolve("run.log"))).contains("batch 1/");
        assertThat(store.root().resolve("scratch").resolve(job + "-1")).doesNotExist();
    }

    /**
     * Two queries against the test database, a search smaller than the test profile's
     * {@code archive-min-search-space} (10⁶; the six test queries make 1.76·10⁶): blastp writes the hits
     * itself, nothing is formatted, and the record says the archive is to be made when asked for.
     */
    @Test
    void aSmallSearchWritesItsHitsDirectlyAndKeepsOnlyTheRecordToSearchAgain() throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        UUID job = UUID.randomUUID();
        String twoQueries = String.join("\n", Files.readAllLines(QUERIES).subList(0, 4)) + "\n";
        writeInput(job, twoQueries);
        request(job, "testdb", Map.of("program", "blastp"));

        List<JobProgressEvent> progress = untilTerminal(job);
        assertThat(progress.getLast().status()).as("%s", progress).isEqualTo(JobStatus.SUCCEEDED);
        Path queries = Files.writeString(Files.createTempFile(Path.of("target"), "two-", ".fasta"), twoQueries);
        assertThat(Files.readAllLines(store.results(job).resolve("hits.tsv"))).isNotEmpty()
                .isEqualTo(blastpDirectly(queries, BLAST_COLUMNS));
        SearchArchive search = SearchArchive.read(store.archive(job));
        assertThat(search.searchedAgain()).isTrue();
        assertThat(search.pipeline()).isEqualTo("blast");
        assertThat(search.program()).isEqualTo("blastp");
        assertThat(search.queries()).isEqualTo(2);
        assertThat(search.params()).containsEntry("program", "blastp");
        try (Stream<Path> files = Files.list(store.archive(job))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(SearchArchive.FILE);
        }
        List<JobLogEvent> logs = events(job, Topics.JOB_LOG, JobLogDeserializer.class,
                l -> l.stream().anyMatch(e -> e.line().startsWith("batch ")));
        assertThat(logs).noneMatch(l -> "blast_formatter".equals(l.source()));
    }

    /**
     * Two hanging tools hold both of the worker's searches (the test profile's batch concurrency) until
     * their step timeout; four one-query blastp jobs that arrive meanwhile wait for the same search, and
     * are searched two by two (as many as fit one batch) once the searches are free. Each job gets
     * exactly the hits blastp gives its own query.
     */
    @Test
    void smallJobsWaitingForTheSameSearchShareOneBlastpRunAndEachGetsItsOwnHits() throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        List<UUID> hanging = List.of(UUID.randomUUID(), UUID.randomUUID());
        for (UUID job : hanging) {
            writeInput(job, ">q1\nMKTAYIAKQRQISFVKSHFSRQ\n");
            request(job, "faults", "testdb", Map.of("behaviour", "hang"));
        }
        for (UUID job : hanging) {
            events(job, Topics.JOB_LOG, JobLogDeserializer.class, l -> l.stream().anyMatch(e -> e.line().equals("waiting forever")));
        }
        List<String> lines = Files.readAllLines(QUERIES);
        List<UUID> small = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID job = UUID.randomUUID();
            // 60 residues each: two fit the test profile's 150 residues a batch, so two shared runs of two
            writeInput(job, lines.get(2 * i) + "\n" + lines.get(2 * i + 1).substring(0, 60) + "\n");
            request(job, "testdb", Map.of("program", "blastp"));
            small.add(job);
        }

        for (UUID job : small) {
            assertThat(untilTerminal(job).getLast().status()).isEqualTo(JobStatus.SUCCEEDED);
            Path query = Files.writeString(Files.createTempFile(Path.of("target"), "one-", ".fasta"),
                    Files.readString(store.input(job)));
            assertThat(Files.readAllLines(store.results(job).resolve("hits.tsv"))).isNotEmpty()
                    .isEqualTo(blastpDirectly(query, BLAST_COLUMNS));
            assertThat(events(job, Topics.JOB_LOG, JobLogDeserializer.class, l -> l.stream().anyMatch(e -> e.line()
                    .startsWith("batch 1/1: searched in one "))))
                    .anySatisfy(l -> assertThat(l.line()).isEqualTo("batch 1/1: searched in one blastp run with 1 other batch"));
        }
        for (UUID job : hanging) {
            assertThat(untilTerminal(job).getLast().errorCode()).isEqualTo("STEP_TIMEOUT");
        }
        try (Stream<Path> scratch = Files.list(store.root().resolve("scratch"))) {
            assertThat(scratch.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("shared-"));
        }
    }

    @Test
    void aLaterAttemptSearchesOnlyTheBatchesNoEarlierAttemptFinishedAndItsHitsEqualBlastpRunDirectly() throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        UUID job = UUID.randomUUID();
        writeInput(job, Files.readString(QUERIES));
        // the test queries make 5 batches; the tool crashes on the last, which starts once 3 are done
        Path marker = store.root().resolve("crash-on").resolve(job + "-batch-0004.fa");
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "");
        request(job, "unsteady", "testdb", Map.of(), 1);
        JobProgressEvent failed = untilTerminal(job, 1).getLast();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("TOOL_FAILED");
        assertThat(failed.error()).startsWith("sh exited with 139 (segmentation fault) on batch 5/5: ")
                .contains("crashing on batch-0004.fa");
        List<Integer> kept;
        try (Stream<Path> files = Files.list(store.checkpoints(job))) {
            kept = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("batch-\\d{4}\\.json"))
                    .map(n -> Integer.parseInt(n.substring(6, 10))).sorted().toList();
        }
        assertThat(kept).as("batches the failed attempt finished").hasSizeGreaterThanOrEqualTo(3).doesNotContain(4);
        assertThat(store.results(job).resolve("hits.tsv")).doesNotExist();

        // the cause removed, a later attempt; one kept batch was changed since, so it is not trusted
        Files.delete(marker);
        int tampered = kept.getFirst();
        Files.writeString(store.checkpoints(job).resolve(String.format("batch-%04d.tsv", tampered)),
                "Q000000\tforged\n", StandardOpenOption.APPEND);
        request(job, "unsteady", "testdb", Map.of(), 2);
        List<JobProgressEvent> second = untilTerminal(job, 2);
        assertThat(second.getLast().status()).as("%s", second).isEqualTo(JobStatus.SUCCEEDED);
        int reused = kept.size() - 1;
        // 150 residues a batch: the first holds the two shortest queries, each other one query
        int reusedQueries = kept.stream().filter(b -> b != tampered).mapToInt(b -> b == 0 ? 2 : 1).sum();
        assertThat(second).filteredOn(e -> Steps.SPLIT.equals(e.step()) && e.stepStatus() == StepStatus.COMPLETED)
                .singleElement().satisfies(e -> {
                    assertThat(e.message()).isEqualTo("5 batches of up to 150 residues; " + reused
                            + " of 5 batches reused from an earlier attempt");
                    assertThat(e.done()).as("the reused batches' queries count as done from the start")
                            .isEqualTo(reusedQueries);
                });

        List<JobLogEvent> logs = events(job, Topics.JOB_LOG, JobLogDeserializer.class,
                l -> l.stream().filter(e -> e.attempt() == 2 && e.line().startsWith("batch ")).count() >= 5);
        List<String> secondLines = logs.stream().filter(e -> e.attempt() == 2 && "worker".equals(e.source()))
                .map(JobLogEvent::line).filter(l -> l.startsWith("batch ")).toList();
        for (int batch = 0; batch < 5; batch++) {
            String prefix = "batch " + (batch + 1) + "/5: ";
            String searched = java.util.regex.Pattern.quote(prefix) + "\\d+ sequences?, sh";
            if (batch == tampered) {
                assertThat(secondLines).contains(prefix + "an earlier attempt's results no longer match their digest; "
                        + "searching it again");
            }
            if (kept.contains(batch) && batch != tampered) {
                assertThat(secondLines).as("batch %d", batch).contains(prefix + "reused from an earlier attempt")
                        .noneMatch(l -> l.matches(searched));
            } else {
                assertThat(secondLines).as("batch %d", batch).anyMatch(l -> l.matches(searched));
            }
        }
        assertThat(Files.readAllLines(store.results(job).resolve("hits.tsv"))).isEqualTo(blastpDirectly(BLAST_COLUMNS));
        assertArchived(store, job, "sh", 5);
        assertThat(store.checkpoints(job)).as("a job that succeeded keeps no checkpoints").doesNotExist();
    }

    @Test
    void blastnAgainstAProteinDatabaseFailsWithDatabaseTypeMismatch() throws Exception {
        UUID job = UUID.randomUUID();
        writeInput(job, ">n1\nACGTACGTAGCTAGCTAGCATCGATCGACTAGCTAGC\n");
        request(job, "testdb", Map.of("program", "blastn"));
        JobProgressEvent last = untilTerminal(job).getLast();
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.errorCode()).isEqualTo("DATABASE_TYPE_MISMATCH");
        assertThat(last.error()).isEqualTo("blastn searches nucleotide databases; 'testdb' is protein.");
        assertThat(last.step()).isEqualTo(Steps.VALIDATE);
        assertThat(last.stepStatus()).isEqualTo(StepStatus.FAILED);
        assertThat(new StoreLayout(storeRoot).results(job).resolve("hits.tsv")).doesNotExist();
    }

    @Test
    void aSearchThatFindsMoreHitsThanAJobMayKeepFailsWithResultTooLargeAndKeepsNoResults() throws Exception {
        UUID job = UUID.randomUUID();
        // the test profile lets a job keep 100 hits; the queries find 54, twice over 108
        String queries = Files.readString(QUERIES);
        writeInput(job, queries + queries.replace(">", ">again_"));
        request(job, "testdb", Map.of("program", "blastp"));

        JobProgressEvent last = untilTerminal(job).getLast();
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.errorCode()).isEqualTo("RESULT_TOO_LARGE");
        assertThat(last.error()).contains("more than 100 hits").contains("split the input");
        StoreLayout store = new StoreLayout(storeRoot);
        assertThat(store.results(job).resolve("hits.tsv")).doesNotExist();
        assertThat(store.root().resolve("scratch").resolve(job + "-1")).doesNotExist();
    }

    @Test
    void anUnknownDatabaseFailsWithDatabaseNotFound() throws Exception {
        UUID job = UUID.randomUUID();
        writeInput(job, Files.readString(QUERIES));
        request(job, "nope", Map.of("program", "blastp"));
        JobProgressEvent last = untilTerminal(job).getLast();
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.errorCode()).isEqualTo("DATABASE_NOT_FOUND");
        assertThat(last.error()).contains("'nope'");
    }

    @Test
    void anOutOfRangeParameterFailsBeforeAnyToolRuns() throws Exception {
        UUID job = UUID.randomUUID();
        writeInput(job, Files.readString(QUERIES));
        request(job, "testdb", Map.of("program", "blastp", "evalue", "-out /tmp/x"));
        JobProgressEvent last = untilTerminal(job).getLast();
        assertThat(last.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(last.error()).contains("evalue");
    }

    @Test
    void aToolThatFailsFailsTheJobWithItsExitCodeAndItsOwnErrorLines() throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        // a database damaged on disk after it was built: blastn itself refuses it
        Path index = store.database("genes").resolve("genes.nin");
        Files.writeString(index, "not an index");
        UUID job = UUID.randomUUID();
        JobProgressEvent last;
        try {
            writeInput(job, ">q1\nGTCATCTAGTAGAAGCACGTGCGGGGAGTTTATCCTTCTACGTAAATCGTCTGAACAGAG\n");
            request(job, "genes", Map.of("program", "blastn"));
            last = untilTerminal(job).getLast();
        } finally {
            // without its index the database is built again the next time it is used
            Files.deleteIfExists(index);
        }
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.errorCode()).isEqualTo("TOOL_FAILED");
        assertThat(last.step()).isEqualTo(Steps.SEARCH);
        assertThat(last.error()).startsWith("blastn exited with 2 on batch 1/1: ").contains("BLAST Database error");
        List<JobLogEvent> logs = events(job, Topics.JOB_LOG, JobLogDeserializer.class,
                l -> l.stream().anyMatch(e -> "blastn".equals(e.source())));
        assertThat(logs).anySatisfy(l -> {
            assertThat(l.source()).isEqualTo("blastn");
            assertThat(l.stream()).isEqualTo(LogStream.STDERR);
            assertThat(l.line()).contains("BLAST Database error");
        });
        assertThat(Files.readString(store.results(job).resolve("run.log"))).contains("BLAST Database error");
        assertThat(store.results(job).resolve("hits.tsv")).doesNotExist();
    }

    @Test
    void aCancelledJobStopsAndEndsCancelled() throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        UUID job = UUID.randomUUID();
        Files.createDirectories(store.jobDir(job));
        // the input is a pipe: the worker waits in validate until the test writes it, so the cancel
        // certainly arrives while the job runs
        Path input = store.input(job);
        assertThat(new ProcessBuilder("mkfifo", input.toString()).start().waitFor()).isZero();
        Thread writer = Thread.ofPlatform().daemon().unstarted(() -> {
            try {
                Files.writeString(input, Files.readString(QUERIES));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            publish(Topics.JOB_REQUESTED, job, new JobRequestedEvent(JobRequestedEvent.SCHEMA, job, "alice", "blast",
                    "testdb", Map.of("program", "blastp"), StoreLayout.inputRef(job), QUERY_COUNT, 1, Instant.now()));
            events(job, Topics.JOB_PROGRESS, JobProgressDeserializer.class, l -> l.stream()
                    .anyMatch(e -> Steps.VALIDATE.equals(e.step()) && e.stepStatus() == StepStatus.RUNNING));
            cancelUntilSeen(job);
        } finally {
            writer.start();
        }

        List<JobProgressEvent> progress = untilTerminal(job);
        JobProgressEvent last = progress.getLast();
        assertThat(last.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(progress).noneMatch(e -> Steps.SEARCH.equals(e.step()));
        assertThat(store.results(job).resolve("hits.tsv")).doesNotExist();
        assertThat(store.root().resolve("scratch").resolve(job + "-1")).doesNotExist();
    }

    @Test
    void aRepeatedRequestForTheSameAttemptRunsOnce() throws Exception {
        UUID job = UUID.randomUUID();
        writeInput(job, Files.readString(QUERIES));
        request(job, "nope", Map.of("program", "blastp"));
        request(job, "nope", Map.of("program", "blastp"));
        // one partition, one slot: once a later job has ended, both copies have been seen
        UUID later = UUID.randomUUID();
        writeInput(later, Files.readString(QUERIES));
        request(later, "nope", Map.of("program", "blastp"));
        untilTerminal(later);

        assertThat(events(job, Topics.JOB_PROGRESS, JobProgressDeserializer.class, l -> true))
                .filteredOn(e -> e.status().isTerminal()).hasSize(1);
    }

    @Test
    void aNucleotideQueryForBlastpFailsWithAlphabetMismatchBeforeAnyToolRuns() throws Exception {
        UUID job = UUID.randomUUID();
        writeInput(job, ">n1\nACGTACGTAGCTAGCTAGCATCGATCGACTAGCTAGC\n");
        request(job, "testdb", Map.of("program", "blastp"));
        JobProgressEvent last = untilTerminal(job).getLast();
        assertThat(last.errorCode()).isEqualTo("ALPHABET_MISMATCH");
        assertThat(last.error()).isEqualTo("blastp needs protein queries; 'n1' looks nucleotide.");
        assertThat(last.step()).isEqualTo(Steps.VALIDATE);
    }

    @Test
    void anInputWithAnEmptySequenceFailsAsInvalidFasta() throws Exception {
        UUID job = UUID.randomUUID();
        writeInput(job, ">empty\n>q1\nMKTAYIAKQR\n");
        request(job, "testdb", Map.of("program", "blastp"));
        JobProgressEvent last = untilTerminal(job).getLast();
        assertThat(last.errorCode()).isEqualTo("INVALID_FASTA");
        assertThat(last.error()).contains("empty");
        assertThat(new StoreLayout(storeRoot).results(job).resolve("hits.tsv")).doesNotExist();
    }

    @Test
    void aMegabaseSequenceIsSearchedAsABatchOfItsOwn() throws Exception {
        UUID job = UUID.randomUUID();
        java.util.Random random = new java.util.Random(7);
        String residues = "ACDEFGHIKLMNPQRSTVWY";
        StringBuilder fasta = new StringBuilder(">big one megabase\n");
        for (int i = 0; i < 1_000_000; i++) {
            fasta.append(residues.charAt(random.nextInt(residues.length())));
        }
        fasta.append("\n>small\n").append(Files.readString(QUERIES).lines().skip(1).findFirst().orElseThrow()).append('\n');
        writeInput(job, fasta.toString());
        request(job, "testdb", Map.of("program", "blastp"));
        List<JobProgressEvent> progress = untilTerminal(job);
        assertThat(progress.getLast().status()).as("%s", progress.getLast()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(progress.getLast().done()).isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(new StoreLayout(storeRoot).results(job).resolve("hits.json").toFile());
        assertThat(json.get("queries")).extracting(q -> q.get("length").asInt()).containsExactly(1_000_000, 60);
    }

    @Test
    void aDatabaseRemovedWhileTheJobWaitedFailsWithDatabaseNotFound() throws Exception {
        Path sources = Path.of("target/test-classes/databases");
        Path source = sources.resolve("shortlived.fasta");
        Files.copy(TESTDB, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases").then().statusCode(200);
        Files.delete(source);
        UUID job = UUID.randomUUID();
        writeInput(job, Files.readString(QUERIES));
        request(job, "shortlived", Map.of("program", "blastp"));
        JobProgressEvent last = untilTerminal(job).getLast();
        assertThat(last.errorCode()).isEqualTo("DATABASE_NOT_FOUND");
        assertThat(last.error()).isEqualTo("There is no database 'shortlived'.");
    }

    @Test
    void aToolThatHangsIsStoppedAtItsStepTimeout() throws Exception {
        UUID job = UUID.randomUUID();
        List<JobProgressEvent> progress = misbehave(job, "hang");
        JobProgressEvent last = progress.getLast();
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.errorCode()).isEqualTo("STEP_TIMEOUT");
        assertThat(last.step()).isEqualTo(Steps.SEARCH);
        assertThat(Duration.between(progress.getFirst().at(), last.at())).isLessThan(Duration.ofSeconds(30));
        assertThat(new StoreLayout(storeRoot).results(job).resolve("hits.tsv")).doesNotExist();
        assertThat(new StoreLayout(storeRoot).results(job).resolve("hits.json")).doesNotExist();
        // killed as a whole session; under load the kernel may take a moment to let it go
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 600")))
                .as("the hanging tool was killed").isEmpty());
    }

    @Test
    void aToolThatCrashesFailsTheStepWithItsSignalAndLastWords() throws Exception {
        UUID job = UUID.randomUUID();
        JobProgressEvent last = misbehave(job, "crash").getLast();
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.errorCode()).isEqualTo("TOOL_FAILED");
        assertThat(last.step()).isEqualTo(Steps.SEARCH);
        assertThat(last.error()).isEqualTo("sh exited with 139 (segmentation fault) on batch 1/1: about to crash");
        assertThat(new StoreLayout(storeRoot).results(job).resolve("hits.tsv")).doesNotExist();
    }

    @Test
    void aToolThatFloodsItsOutputIsRateLimitedOnKafkaAndKeptWholeInRunLog() throws Exception {
        UUID job = UUID.randomUUID();
        JobProgressEvent last = misbehave(job, "flood").getLast();
        assertThat(last.status()).as("%s", last).isEqualTo(JobStatus.SUCCEEDED);
        // every line the tool printed is either published or counted in a marker, and run.log has them all
        List<JobLogEvent> logs = events(job, Topics.JOB_LOG, JobLogDeserializer.class,
                l -> published(l) + suppressed(l) >= FLOOD_LINES);
        assertThat(published(logs) + suppressed(logs)).isEqualTo(FLOOD_LINES);
        assertThat(suppressed(logs)).isGreaterThan(FLOOD_LINES / 2);
        assertThat((long) logs.size()).isLessThan(FLOOD_LINES / 10);
        long inRunLog = Files.readString(new StoreLayout(storeRoot).results(job).resolve("run.log")).lines()
                .filter(l -> l.startsWith("sh stdout: line ")).count();
        assertThat(inRunLog).isEqualTo(FLOOD_LINES);
    }

    private static long published(List<JobLogEvent> logs) {
        return logs.stream().filter(e -> "sh".equals(e.source())).count();
    }

    private static long suppressed(List<JobLogEvent> logs) {
        return logs.stream().filter(e -> "worker".equals(e.source()) && e.line().contains(" suppressed "))
                .mapToLong(e -> Long.parseLong(e.line().split(" ")[0])).sum();
    }

    @Test
    void anAttemptClaimedBeforeARestartIsNotRunAgain() throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        UUID job = UUID.randomUUID();
        writeInput(job, Files.readString(QUERIES));
        Files.createDirectories(store.jobDir(job).resolve("attempts"));
        Files.writeString(store.jobDir(job).resolve("attempts").resolve("1.claim"), "worker-before-restart\n");
        request(job, "testdb", Map.of("program", "blastp"));
        UUID later = UUID.randomUUID();
        writeInput(later, Files.readString(QUERIES));
        request(later, "nope", Map.of("program", "blastp"));
        untilTerminal(later);
        assertThat(events(job, Topics.JOB_PROGRESS, JobProgressDeserializer.class, l -> true)).isEmpty();
    }

    @Test
    void theCatalogListsPipelinesAndDatabasesWithTypesAndCounts() {
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/databases").then().statusCode(200)
                .body("name", hasItems("genes", "testdb"))
                .body("find { it.name == 'testdb' }.type", equalTo("protein"))
                .body("find { it.name == 'testdb' }.sequences", equalTo(24))
                .body("find { it.name == 'testdb' }.version", matchesPattern("[0-9a-f]{12}"))
                .body("find { it.name == 'genes' }.type", equalTo("nucleotide"))
                .body("find { it.name == 'genes' }.sequences", equalTo(8));
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/pipelines").then().statusCode(200)
                .body("name", contains("blast", "faults", "unsteady"))
                .body("find { it.name == 'blast' }.steps.key", contains(Steps.BLAST.toArray()))
                .body("find { it.name == 'blast' }.parameters.find { it.name == 'program' }.choices.value",
                        contains("blastp", "blastn", "blastx", "tblastn", "tblastx"))
                .body("find { it.name == 'blast' }.parameters.find { it.name == 'evalue' }.max", equalTo(1000.0f))
                .body("find { it.name == 'blast' }.parameters.find { it.name == 'program' }.choices[2].query",
                        equalTo("nucleotide"));
    }

    @Test
    void theWorkerIsReadyWhenBlastRunsAndTheStoreIsWritable() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'blast-tools-and-store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'blast-tools-and-store' }.data.blastp", matchesPattern("2\\..*"));
    }

    private void writeInput(UUID job, String fasta) throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.jobDir(job));
        Files.writeString(store.input(job), fasta);
    }

    private void request(UUID job, String database, Map<String, Object> params) throws Exception {
        request(job, "blast", database, params);
    }

    private void request(UUID job, String pipeline, String database, Map<String, Object> params) throws Exception {
        request(job, pipeline, database, params, 1);
    }

    private void request(UUID job, String pipeline, String database, Map<String, Object> params, int attempt)
            throws Exception {
        String input = Files.readString(new StoreLayout(storeRoot).input(job));
        int count = (int) input.lines().filter(l -> l.startsWith(">")).count();
        publish(Topics.JOB_REQUESTED, job, new JobRequestedEvent(JobRequestedEvent.SCHEMA, job, "alice", pipeline,
                database, params, StoreLayout.inputRef(job), count, attempt, Instant.now()));
    }

    /** A faults-pipeline job over the test queries; its outcome once it ends. */
    private List<JobProgressEvent> misbehave(UUID job, String behaviour) throws Exception {
        writeInput(job, ">q1\nMKTAYIAKQRQISFVKSHFSRQ\n");
        request(job, "faults", "testdb", Map.of("behaviour", behaviour));
        return untilTerminal(job);
    }

    private void publish(String topic, UUID job, Object event) throws Exception {
        try (var producer = new KafkaProducer<String, Object>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new EventSerializer())) {
            producer.send(new ProducerRecord<>(topic, job.toString(), event)).get();
        }
    }

    /** Cancels until the worker says it got the cancel: its control consumer may still be joining. */
    private void cancelUntilSeen(UUID job) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (var consumer = consumer(Topics.JOB_LOG, JobLogDeserializer.class)) {
            while (System.nanoTime() < deadline) {
                publish(Topics.JOB_CONTROL, job, new JobControlEvent(JobControlEvent.SCHEMA, job,
                        JobControlEvent.Action.CANCEL, 1, "test", Instant.now()));
                for (int polls = 0; polls < 10; polls++) {
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        if (job.toString().equals(record.key()) && record.value().line().startsWith("cancel requested")) {
                            return;
                        }
                    }
                }
            }
        }
        throw new AssertionError("the worker never acknowledged the cancel of " + job);
    }

    private List<JobProgressEvent> untilTerminal(UUID job) throws Exception {
        return events(job, Topics.JOB_PROGRESS, JobProgressDeserializer.class,
                events -> events.stream().anyMatch(e -> e.status().isTerminal()));
    }

    /** The progress of one attempt of the job, once it ended. */
    private List<JobProgressEvent> untilTerminal(UUID job, int attempt) throws Exception {
        return events(job, Topics.JOB_PROGRESS, JobProgressDeserializer.class,
                events -> events.stream().anyMatch(e -> e.attempt() == attempt && e.status().isTerminal()))
                .stream().filter(e -> e.attempt() == attempt).toList();
    }

    /** The job's events on a topic, from the start, once {@code done} holds for them. */
    private <T> List<T> events(UUID job, String topic, Class<? extends Deserializer<T>> type,
                               Predicate<List<T>> done) throws Exception {
        List<T> values = new ArrayList<>();
        try (var consumer = consumer(topic, type)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean caughtUp = false;
            while (!(caughtUp && done.test(values)) && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                records.forEach(r -> {
                    if (job.toString().equals(r.key())) {
                        values.add(r.value());
                    }
                });
                caughtUp = consumer.assignment().stream().allMatch(p ->
                        consumer.position(p) >= consumer.endOffsets(List.of(p)).get(p));
            }
        }
        assertThat(done.test(values)).as("events of job %s on %s: %s", job, topic, values).isTrue();
        return values;
    }

    /** A reader of every partition of the topic from its start; no group, so no wait to join one. */
    private <T> KafkaConsumer<String, T> consumer(String topic, Class<? extends Deserializer<T>> type)
            throws Exception {
        var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                new StringDeserializer(), type.getDeclaredConstructor().newInstance());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * The job's search is kept as BLAST's archive, one file per batch and the record that says it is
     * whole; formatted again, the archive gives exactly the hits the job merged.
     */
    private static void assertArchived(StoreLayout store, UUID job, String program, int batches) throws Exception {
        Path archive = store.archive(job);
        SearchArchive search = SearchArchive.read(archive);
        assertThat(search.program()).as("the pipeline's program, else its search tool").isEqualTo(program);
        assertThat(search.database()).isEqualTo("testdb");
        assertThat(search.databasePath()).endsWith("/testdb");
        assertThat(search.batches()).isEqualTo(batches);
        assertThat(search.queries()).isEqualTo(QUERY_COUNT);
        List<String> formatted = new java.util.ArrayList<>();
        for (int batch = 0; batch < batches; batch++) {
            Path out = Files.createTempFile(Path.of("target").toAbsolutePath(), "formatted-", ".tsv");
            run(Path.of("target").toAbsolutePath(), "blast_formatter", "-archive", archive.resolve(SearchArchive.batchFile(batch)).toString(),
                    "-outfmt", "6 qseqid sseqid evalue", "-out", out.toString());
            formatted.addAll(Files.readAllLines(out));
        }
        assertThat(formatted).extracting(l -> l.split("\t")[1] + " " + l.split("\t")[2])
                .containsExactlyElementsOf(Files.readAllLines(store.results(job).resolve("hits.tsv")).stream()
                        .map(l -> l.split("\t")[1] + " " + l.split("\t")[10]).toList());
        assertThat(archive).isDirectoryNotContaining("glob:**.part");
    }

    /** The blast pipeline's columns, which the unsteady test pipeline has too. */
    private static final String BLAST_COLUMNS =
            "qseqid sseqid pident length mismatch gapopen qstart qend sstart send evalue bitscore qlen slen qcovs stitle qseq sseq";

    private static List<String> blastpDirectly(String columns) throws Exception {
        return blastpDirectly(QUERIES, columns);
    }

    private static List<String> blastpDirectly(Path queries, String columns) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "direct-");
        run(dir, "makeblastdb", "-in", TESTDB.toAbsolutePath().toString(), "-dbtype", "prot", "-out", "db/testdb",
                "-parse_seqids");
        run(dir, "blastp", "-query", queries.toAbsolutePath().toString(), "-db", "db/testdb",
                "-outfmt", "6 " + columns, "-out", "hits.tsv");
        return Files.readAllLines(dir.resolve("hits.tsv"), StandardCharsets.UTF_8);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
