package io.aegis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code ./aegis bench pipeline}: a 1,000-query {@code blastp} job through Aegis against the same
 * {@code blastp} run by hand on the same database, side by side, and the time from a submit to its
 * first progress event. {@link StackBenchmarks} runs the phases on the benchmark's stack and
 * restarts the pipeline-worker between them with the slots and batch concurrency to measure:
 * <pre>
 *   data      writes the database source (for the worker to build) and the queries
 *   direct    blastp by hand, one thread, on the database the worker built, output to a file
 *   job       the same search as one Aegis job, after small jobs to warm the worker up
 *   latency   one-query jobs one at a time: submit → first progress event received through Kafka
 *   report    the figures of all phases
 * </pre>
 * The phases leave their figures in the benchmark's folder ({@code runs.tsv}, {@code first-progress.tsv}).
 */
final class PipelineBench {

    static final String DATABASE = "bench";
    static final int FAMILIES = 3_000;
    static final int MEMBERS_PER_FAMILY = 6;
    static final long SEED = 20_260_301L;
    static final double EVALUE = 1e-5;
    /** The worker's output format (the columns of pipelines' blast.json), so both runs write the same rows. */
    static final String OUTFMT = "6 qseqid sseqid pident length mismatch gapopen qstart qend sstart send evalue "
            + "bitscore qlen slen qcovs stitle qseq sseq";

    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(60);
    private static final int MAX_WARMUP_JOBS = 20;
    private static final int LATENCY_WARMUP_JOBS = 5;

    private final Path dir;

    PipelineBench(Path dir) {
        this.dir = dir;
    }

    /** Writes the database source where the worker reads it, and the queries into the benchmark's folder. */
    void data(Path databaseSource, int queries) throws IOException {
        ProteinFamilies.Dataset data = new ProteinFamilies(FAMILIES, MEMBERS_PER_FAMILY, SEED).generate(queries);
        Files.createDirectories(dir);
        Files.createDirectories(databaseSource.toAbsolutePath().getParent());
        Files.writeString(databaseSource, Fasta.write(data.database()));
        Files.writeString(queriesFile(), Fasta.write(data.queries()));
        String description = String.format(Locale.ROOT, "blastp -evalue %s, %,d queries (%,d residues) against "
                        + "'%s': %,d synthetic proteins in %,d families (%,d residues)", Double.toString(EVALUE),
                data.queries().size(), data.queryResidues(), DATABASE, data.database().size(), FAMILIES,
                data.databaseResidues());
        Files.writeString(dir.resolve("dataset.txt"), description + "\n");
        System.out.println("    " + description);
    }

    /** {@code blastp} by hand, as the worker runs each batch but on all queries in one process. */
    void direct(Path store, Supplier<Collection<Long>> stack, int round) throws IOException, InterruptedException {
        Path database = new StoreLayout(store).database(DATABASE).resolve(DATABASE);
        awaitFile(database.resolveSibling(DATABASE + ".pin"), Duration.ofMinutes(5));
        Path out = directHits(round);
        ByHand run = byHand(queriesFile(), database, out, dir.resolve("direct-" + round + ".log"), stack);
        PipelineRun.append(runs(), PipelineRun.direct(round, run.seconds(), run.usage()));
        System.out.printf(Locale.ROOT, "    blastp by hand: %.1f s, %d hit rows; %s%n", run.seconds(), lines(out),
                describe(run.usage()));
    }

    /** One {@code blastp} by hand: its wall time in seconds, and the machine's use meanwhile. */
    record ByHand(double seconds, Machine.Usage usage) {
    }

    /**
     * {@code blastp} by hand on {@code queries} against {@code database}, one thread, the worker's output
     * format into {@code out} and its messages into {@code log}, once the machine is quiet; the stack's
     * processes are told apart from the rest of the machine's work while it runs.
     */
    static ByHand byHand(Path queries, Path database, Path out, Path log, Supplier<Collection<Long>> stack)
            throws IOException, InterruptedException {
        List<String> command = List.of("blastp", "-query", queries.toString(), "-db", database.toString(),
                "-outfmt", OUTFMT, "-out", out.toString(), "-num_threads", "1", "-evalue", Double.toString(EVALUE));
        awaitQuiet();
        Machine.Meter meter = new Machine.Meter(ours(stack));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        Machine.Usage usage = meter.stop();
        if (exit != 0) {
            throw new IllegalStateException("blastp exited with " + exit + "; see " + log);
        }
        return new ByHand(seconds, usage);
    }

    /** The queries as one Aegis job, measured from just before the submit request to its outcome received. */
    void job(Http http, String kafka, Path store, Supplier<Collection<Long>> stack, int concurrency, int round)
            throws IOException, InterruptedException {
        List<FastaRecord> queries = Fasta.parse(Files.readString(queriesFile()));
        try (JobEvents events = JobEvents.open(kafka)) {
            warmUp(http, events, queries);
            awaitQuiet();

            byte[] body = Http.json(body(Files.readString(queriesFile()), "bench pipeline, round " + round + ", "
                    + concurrency + (concurrency == 1 ? " batch" : " batches") + " at a time"));
            Machine.Meter meter = new Machine.Meter(ours(stack));
            Instant submittedAt = Instant.now();
            long start = System.nanoTime();
            UUID id = accepted(await(http.postJson("/api/v1/jobs", body)));
            JobEvents.Received<JobProgressEvent> outcome = events.outcome(id, JOB_TIMEOUT);
            double seconds = (outcome.nanos() - start) / 1e9;
            Machine.Usage usage = meter.stop();
            expectSucceeded(outcome.event().status(), id, http);
            Thread.sleep(500); // log lines travel on a topic of their own: let the last ones arrive
            JobEvents.Job job = events.job(id);
            JobTimeline timeline = JobTimeline.of(submittedAt, job.progress().stream().map(JobEvents.Received::event).toList(),
                    job.logs().stream().map(JobEvents.Received::event).toList(),
                    submittedAt.plusNanos(outcome.nanos() - start));

            Path hits = new StoreLayout(store).results(id).resolve("hits.tsv");
            Path direct = directHits(round);
            HitTables.Comparison comparison = Files.exists(direct) ? HitTables.compare(hits, direct) : null;
            PipelineRun.append(runs(), new PipelineRun(round, PipelineRun.Kind.AEGIS, concurrency, seconds,
                    usage.busyCores(), usage.otherCores(), comparison == null ? "-" : comparison.verdict(), timeline));
            System.out.printf(Locale.ROOT, "    job %s: %.1f s, %d batches; %s%n", id, seconds, timeline.batches(),
                    describe(usage));
            System.out.println("    " + (comparison == null ? "no direct run to compare with" : comparison.describe()));
            System.out.printf(Locale.ROOT, "    as job-service recorded it: created → finished %.1f s%n", awaitTerminal(http, id));
        }
    }

    /**
     * Small jobs until the worker, just restarted, has taken one from every partition of the request
     * topic: after a start, its first record, and often its first record from each partition, reach it
     * about a second after job-service sent them (the worker logs "Initialize record store" when one
     * arrives), which a long-running worker does not pay again. Also warms its JIT.
     */
    private void warmUp(Http http, JobEvents events, List<FastaRecord> queries) throws InterruptedException {
        int partitions = Math.max(1, events.partitions(Topics.JOB_REQUESTED));
        Set<Integer> taken = new HashSet<>();
        int jobs = 0;
        while (taken.size() < partitions && jobs < MAX_WARMUP_JOBS) {
            FastaRecord query = queries.get(jobs++);
            UUID id = submit(http, query.toFasta(80), "bench pipeline warm-up " + query.id());
            expectSucceeded(events.outcome(id, Duration.ofMinutes(5)).event().status(), id, http);
            taken.add(events.requestedPartition(id, Duration.ofSeconds(30)));
        }
        System.out.printf(Locale.ROOT, "    warm-up: %d small %s, the worker took requests from %d of %d partitions%n",
                jobs, jobs == 1 ? "job" : "jobs", taken.size(), partitions);
    }

    /** One-query jobs, one at a time, each waited for: submit → its first progress event received here. */
    void latency(Http http, String kafka, int jobs) throws IOException, InterruptedException {
        List<FastaRecord> queries = Fasta.parse(Files.readString(queriesFile()));
        if (queries.size() < jobs + LATENCY_WARMUP_JOBS) {
            throw new IllegalArgumentException("Only " + queries.size() + " queries for " + jobs + " jobs");
        }
        long[] firstProgress = new long[jobs];
        long[] answered = new long[jobs];
        try (JobEvents events = JobEvents.open(kafka)) {
            for (int i = -LATENCY_WARMUP_JOBS; i < jobs; i++) {
                FastaRecord query = queries.get(queries.size() - 1 - (i + LATENCY_WARMUP_JOBS));
                byte[] body = Http.json(body(query.toFasta(80), "bench first progress " + query.id()));
                long start = System.nanoTime();
                Http.Response response = await(http.postJson("/api/v1/jobs", body));
                long answeredAt = System.nanoTime();
                UUID id = accepted(response);
                long first = events.firstProgress(id, Duration.ofMinutes(2)).nanos();
                expectSucceeded(events.outcome(id, Duration.ofMinutes(5)).event().status(), id, http);
                awaitTerminal(http, id);
                if (i >= 0) {
                    firstProgress[i] = first - start;
                    answered[i] = answeredAt - start;
                }
            }
        }
        StringBuilder tsv = new StringBuilder("first_progress_ms\tsubmit_answered_ms\n");
        for (int i = 0; i < jobs; i++) {
            tsv.append(String.format(Locale.ROOT, "%.3f\t%.3f%n", firstProgress[i] / 1e6, answered[i] / 1e6));
        }
        Files.writeString(dir.resolve("first-progress.tsv"), tsv);
        System.out.println("    submit → first progress event: " + Latencies.of(firstProgress).format());
    }

    /** The figures of every phase that ran. */
    String report() throws IOException {
        String dataset = Files.exists(dir.resolve("dataset.txt")) ? Files.readString(dir.resolve("dataset.txt")).strip()
                : "(no dataset description)";
        List<PipelineRun> runs = Files.exists(runs()) ? PipelineRun.read(runs()) : List.of();
        Optional<Latencies> first = Optional.empty();
        Optional<Latencies> answered = Optional.empty();
        Path latencies = dir.resolve("first-progress.tsv");
        if (Files.exists(latencies)) {
            List<String[]> rows = Files.readAllLines(latencies).stream().skip(1).filter(l -> !l.isBlank())
                    .map(l -> l.split("\t")).toList();
            first = Optional.of(Latencies.of(rows.stream().mapToLong(r -> nanos(r[0])).toArray()));
            answered = Optional.of(Latencies.of(rows.stream().mapToLong(r -> nanos(r[1])).toArray()));
        }
        return PipelineReport.format(dataset, runs, first, answered);
    }

    static Map<String, Object> body(String fasta, String name) {
        return body(fasta, name, DATABASE);
    }

    /** A blastp job of these queries against {@code database}, with the benchmark's e-value, never reused. */
    static Map<String, Object> body(String fasta, String name, String database) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fasta", fasta);
        body.put("pipeline", "blast");
        body.put("database", database);
        body.put("name", name);
        body.put("params", Map.of("program", "blastp", "evalue", EVALUE));
        body.put("reuse", false);
        return body;
    }

    private UUID submit(Http http, String fasta, String name) throws InterruptedException {
        return accepted(await(http.postJson("/api/v1/jobs", Http.json(body(fasta, name)))));
    }

    static UUID accepted(Http.Response response) {
        if (response.status() != 202) {
            throw new IllegalStateException("submit answered " + response.status() + ": " + response.body());
        }
        return UUID.fromString(response.json().path("id").asText());
    }

    static void expectSucceeded(JobStatus status, UUID id, Http http) throws InterruptedException {
        if (status != JobStatus.SUCCEEDED) {
            Http.Response job = http.get("/api/v1/jobs/" + id);
            throw new IllegalStateException("job " + id + " ended " + status + ": " + job.json().path("errorCode").asText()
                    + " " + job.json().path("error").asText());
        }
    }

    /** Waits until job-service, too, has the job finished; its recorded wall time (created → finished) in seconds. */
    static double awaitTerminal(Http http, UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode job = http.get("/api/v1/jobs/" + id).json();
            if (JobStatus.valueOf(job.path("status").asText()).isTerminal()) {
                return Duration.between(Instant.parse(job.path("createdAt").asText()),
                        Instant.parse(job.path("finishedAt").asText())).toNanos() / 1e9;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job-service still has job " + id + " " + job.path("status").asText());
            }
            Thread.sleep(100);
        }
    }

    static Http.Response await(CompletableFuture<Http.Response> response)
            throws InterruptedException {
        try {
            return response.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("submit failed: " + e, e);
        }
    }

    static void awaitQuiet() throws InterruptedException {
        if (!Machine.awaitQuiet(QUIET_TIMEOUT)) {
            System.out.println("    (the machine did not get quiet within " + QUIET_TIMEOUT.toSeconds()
                    + " s: something else is running; measuring anyway)");
        }
    }

    static void awaitFile(Path file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(file + " is not there: did the worker build the database?");
            }
            Thread.sleep(500);
        }
    }

    /** This process (with blastp by hand, its child) and the stack's. */
    static List<Long> ours(Supplier<Collection<Long>> stack) {
        List<Long> ours = new ArrayList<>(List.of(ProcessHandle.current().pid()));
        ours.addAll(stack.get());
        return ours;
    }

    static String describe(Machine.Usage usage) {
        return String.format(Locale.ROOT, "%.2f cores busy, %.2f of them by other work", usage.busyCores(),
                usage.otherCores());
    }

    static long lines(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    private static long nanos(String millis) {
        return Math.round(Double.parseDouble(millis) * 1e6);
    }

    private Path queriesFile() {
        return dir.resolve("queries.fasta");
    }

    private Path directHits(int round) {
        return dir.resolve("direct-" + round + ".tsv");
    }

    private Path runs() {
        return dir.resolve("runs.tsv");
    }
}
