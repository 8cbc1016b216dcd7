package io.aegis.e2e;

import static io.aegis.e2e.JobClient.DATABASE;
import static io.aegis.e2e.JobClient.JSON;
import static io.aegis.e2e.JobClient.QUERIES;
import static io.aegis.e2e.JobClient.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Aegis as a BLAST server for Biopython: a script calls {@code NCBIWWW.qblast(…, url_base=<gateway>/blast/Blast.cgi,
 * username=…, password=<token>)} with the system's Python and Biopython, unchanged, and reads the answer with
 * {@code NCBIXML}, as it would read NCBI's. The hits are those of {@code blastp} run directly on the same input
 * and database, read the same way; a job that fails or is cancelled ends the script's poll with an
 * {@code HTTPError} that says why; and the searches are ordinary jobs of their users.
 *
 * <p>qblast polls at once after its submit and then every 20 s (for a server other than NCBI's), so each
 * search here lasts at least that long; the three run side by side.
 *
 * <p>The stack's worker keeps at most {@value #MAX_HITS} hits a job ({@code aegis.worker.max-hits}): the
 * example queries find 1,710 with qblast's defaults, and so fail as a search that finds too much does, with
 * {@code RESULT_TOO_LARGE}; a few of them find far fewer.
 */
class QBlastIT {

    private static final String PYTHON = "/usr/bin/python3";
    private static final int MAX_HITS = 1000;
    /** The queries of the search that succeeds: the first of the examples. */
    private static final int FEW_QUERIES = 5;
    /** What {@code qblast} sends unless told otherwise, for the direct run to search alike. */
    private static final String QBLAST_EXPECT = "10";
    private static final String QBLAST_HITLIST_SIZE = "50";

    /**
     * Runs qblast (or, with {@code direct}, reads an XML file) and prints one JSON line: the records as
     * NCBIXML reads them, each query with its hits and their HSPs, or the error the script ended with.
     */
    private static final String SCRIPT = """
            import json, sys, time, urllib.error
            from Bio.Blast import NCBIWWW, NCBIXML

            def describe(records):
                return [{"query": r.query, "letters": r.query_letters,
                         "hits": [{"accession": a.accession,
                                   "hsps": [[h.score, h.bits, h.expect, h.identities, h.positives, h.gaps,
                                             h.align_length, h.query_start, h.query_end, h.sbjct_start, h.sbjct_end,
                                             h.query, h.sbjct] for h in a.hsps]}
                                  for a in r.alignments]}
                        for r in records]

            if sys.argv[1] == "direct":
                with open(sys.argv[2]) as f:
                    print(json.dumps({"records": describe(NCBIXML.parse(f))}))
                sys.exit(0)
            url, user, token, queries = sys.argv[2:6]
            extra = json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}
            with open(queries) as f:
                fasta = f.read()
            started = time.time()
            try:
                handle = NCBIWWW.qblast("blastp", "demo", fasta, url_base=url, username=user, password=token, **extra)
                print(json.dumps({"records": describe(NCBIXML.parse(handle)), "seconds": time.time() - started}))
            except urllib.error.HTTPError as e:
                print(json.dumps({"error": {"type": type(e).__name__, "status": e.code, "message": str(e),
                                            "body": json.loads(e.read().decode())}, "seconds": time.time() - started}))
            """;

    /** A thread for each qblast run: they poll side by side (a shared pool may run them one after another). */
    private static final ExecutorService QBLASTS = Executors.newCachedThreadPool();
    private static AegisStack stack;
    private static JobClient jobs;
    private static Path work;

    @BeforeAll
    static void startStack() throws IOException {
        stack = AegisStack.start(Map.of("AEGIS_WORKER_MAX_HITS", String.valueOf(MAX_HITS)));
        jobs = new JobClient(stack);
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "qblast-").toAbsolutePath();
        Files.writeString(work.resolve("qblast_run.py"), SCRIPT);
    }

    @AfterAll
    static void stopStack() {
        QBLASTS.shutdownNow();
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void qblastSearchesAegisAndReadsTheHitsOfBlastpRunDirectlyAndFailedOrCancelledJobsEndItsPollWithAnError()
            throws Exception {
        Path few = firstQueries(FEW_QUERIES);
        Path everything = DATABASE; // as queries: searched for far longer than it takes to cancel it
        CompletableFuture<JsonNode> searched = qblast("alice", few, Map.of());
        CompletableFuture<JsonNode> failing = qblast("bob", QUERIES, Map.of());
        CompletableFuture<JsonNode> cancelling = qblast("dave", everything, Map.of("hitlist_size", 1));
        String cancelled = cancelTheJobOnceListed("dave");

        // the search that succeeded: what NCBIXML reads is what blastp finds directly
        JsonNode result = searched.get(5, TimeUnit.MINUTES);
        assertThat(result.has("error")).as("qblast ended with %s", result).isFalse();
        JsonNode direct = direct(few);
        assertThat(result.get("records")).hasSize(FEW_QUERIES);
        assertThat(result.get("records")).as("the records qblast read").isEqualTo(direct.get("records"));
        assertThat(hitCount(result)).isPositive();
        System.out.printf("qblast: %d queries, %d hits, read in %.1f s (polling every 20 s)%n", FEW_QUERIES,
                hitCount(result), result.get("seconds").asDouble());

        // the failed job: qblast's poll ends with an HTTPError naming the job's error
        JsonNode failed = failing.get(5, TimeUnit.MINUTES);
        assertThat(failed.has("error")).as("qblast ended with %s", failed).isTrue();
        assertThat(failed.at("/error/status").asInt()).isEqualTo(409);
        assertThat(failed.at("/error/message").asText()).startsWith("HTTP Error 409: JOB_FAILED: Job ")
                .contains("more than " + MAX_HITS + " hits");
        assertThat(failed.at("/error/body/code").asText()).isEqualTo("JOB_FAILED");
        assertThat(failed.at("/error/body/jobStatus").asText()).isEqualTo("FAILED");

        // the cancelled job: the same, saying it was cancelled
        JsonNode stopped = cancelling.get(5, TimeUnit.MINUTES);
        assertThat(stopped.has("error")).as("qblast ended with %s", stopped).isTrue();
        assertThat(stopped.at("/error/status").asInt()).isEqualTo(409);
        assertThat(stopped.at("/error/message").asText())
                .isEqualTo("HTTP Error 409: JOB_CANCELLED: Job " + cancelled + " was cancelled.");

        // ordinary jobs: in their users' histories, followed live, downloaded; another user's RID is unknown
        String alice = stack.token("alice");
        JsonNode history = JSON.readTree(jobs.get("/api/v1/jobs?q=qblast", alice).body());
        assertThat(history.get("items")).hasSize(1);
        JsonNode job = history.get("items").get(0);
        String id = job.get("id").asText();
        assertThat(job.get("pipeline").asText()).isEqualTo("blast");
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome(jobs.follow(id, alice))).isEqualTo("succeeded");
        HttpResponse<String> tsv = jobs.get("/api/v1/jobs/" + id + "/artifacts/hits.tsv", alice);
        assertThat(tsv.statusCode()).isEqualTo(200);
        assertThat(tsv.body().lines().count()).isEqualTo(hitCount(result));
        HttpResponse<String> asBob = jobs.get("/blast/Blast.cgi?CMD=Get&FORMAT_OBJECT=SearchInfo&RID=" + id, stack.token("bob"));
        assertThat(asBob.statusCode()).as(asBob.body()).isEqualTo(404);
        HttpResponse<String> asAlice = jobs.get("/blast/Blast.cgi?CMD=Get&FORMAT_OBJECT=SearchInfo&RID=" + id, alice);
        assertThat(asAlice.body()).contains("Status=READY\n", "ThereAreHits=yes\n");
        assertThat(JSON.readTree(jobs.get("/api/v1/jobs/" + cancelled, stack.token("dave")).body())
                .get("status").asText()).isEqualTo("CANCELLED");
    }

    /** qblast as {@code user}, their token as the password, in a process of its own: what it printed. */
    private static CompletableFuture<JsonNode> qblast(String user, Path queries, Map<String, Object> options)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, work.resolve("qblast_run.py").toString(), "qblast",
                stack.gateway().resolve("/blast/Blast.cgi").toString(), user, stack.token(user), queries.toString()));
        if (!options.isEmpty()) {
            command.add(JSON.writeValueAsString(options));
        }
        return CompletableFuture.supplyAsync(() -> run(command, user), QBLASTS);
    }

    /** The records of {@code blastp} run directly, with qblast's defaults, as NCBIXML reads its XML. */
    private static JsonNode direct(Path queries) throws Exception {
        Path dir = Files.createTempDirectory(work, "direct-");
        run(dir, "makeblastdb", "-in", DATABASE.toString(), "-dbtype", "prot", "-out", "db/demo", "-parse_seqids");
        run(dir, "blastp", "-query", queries.toString(), "-db", "db/demo", "-outfmt", "5", "-evalue", QBLAST_EXPECT,
                "-max_target_seqs", QBLAST_HITLIST_SIZE, "-out", "hits.xml");
        return run(List.of(PYTHON, work.resolve("qblast_run.py").toString(), "direct", dir.resolve("hits.xml").toString()),
                "direct");
    }

    private static JsonNode run(List<String> command, String name) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(work.resolve(name + ".err").toFile());
            // straight to the gateway, never through a proxy of the environment's
            builder.environment().keySet().removeIf(key -> key.toLowerCase(Locale.ROOT).endsWith("_proxy"));
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("%s: %s", name, Files.readString(work.resolve(name + ".err"))).isZero();
            List<String> lines = out.lines().toList();
            return JSON.readTree(lines.getLast());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    /** Waits for {@code user}'s one job to be listed (submitted by qblast), cancels it, and answers its id. */
    private static String cancelTheJobOnceListed(String user) throws Exception {
        String token = stack.token(user);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode items = JSON.readTree(jobs.get("/api/v1/jobs", token).body()).get("items");
            if (items != null && !items.isEmpty()) {
                String id = items.get(0).get("id").asText();
                HttpResponse<String> cancel = jobs.post("/api/v1/jobs/" + id + "/cancel", token);
                assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
                return id;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(user + "'s qblast job was never listed");
    }

    private static Path firstQueries(int count) throws IOException {
        List<String> records = List.of(Files.readString(QUERIES).split("(?m)^(?=>)"));
        Path file = work.resolve("first-" + count + ".fasta");
        Files.writeString(file, records.stream().limit(count).collect(Collectors.joining()));
        return file;
    }

    private static long hitCount(JsonNode result) {
        long hits = 0;
        for (JsonNode record : result.get("records")) {
            for (JsonNode hit : record.get("hits")) {
                hits += hit.get("hsps").size();
            }
        }
        return hits;
    }
}
