package io.aegis.bench;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import io.aegis.stack.LocalStack;
import io.aegis.stack.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./aegis bench small}: what Aegis costs around small work, on the whole stack of the
 * benchmarks' own (the five services as the local stack runs them, their defaults, Kafka, Redis):
 * <ul>
 * <li>many one-query jobs: {@code --jobs} distinct one-query jobs submitted at once through the
 * gateway by {@code --users} users, timed until every job is SUCCEEDED and its manifest (the artifact
 * artifact-service builds last) is ready; jobs a second, and each job's latency split by phase from
 * the worker's own events ({@link JobTimeline}) and the manifest's event;</li>
 * <li>one job of {@code --queries} short queries against the demo database, against one {@code blastp
 * -num_threads 1} by hand of the same file on the database the worker built.</li>
 * </ul>
 * {@code --rounds} rounds of both, after a warm-up burst. The report also goes to {@code .aegis/bench/small/}.
 * {@code AEGIS_BENCH_SMALL_JFR=1} records a flight recording of job-service, the worker,
 * artifact-service and log-stream-service into the stack's log folder.
 */
final class SmallJobsBenchmark {

    static final String DATABASE = "demo";
    private static final long SEED = 20_261_204L;
    /** The per-user limits set for the benchmark (the gateway's default is 60 submits a minute). */
    private static final int SUBMITS_PER_MINUTE = 600;
    private static final int ACTIVE_PER_USER = 200;
    private static final List<String> USER_NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace",
            "heidi");
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
    private static final int WARMUP_JOBS = 100;
    private static final String[] PHASES = {"dispatch", "prepare", "search", "merge", "finish", "delivery", "finalize"};

    private final BenchHome home;
    private final BenchOptions options;
    private final StringBuilder report = new StringBuilder();

    SmallJobsBenchmark(BenchHome home, BenchOptions options) {
        this.home = home;
        this.options = options;
    }

    void run() throws Exception {
        int jobs = options.get("jobs", 100);
        int users = Math.min(USER_NAMES.size(), options.get("users", 4));
        int queries = options.get("queries", 1_000);
        int rounds = options.get("rounds", 2);
        home.fresh("store", "logs", "small");
        Path dir = home.dir("small");
        List<FastaRecord> demo = Fasta.parse(Files.readString(home.repo().resolve("examples/databases/demo.fasta")));
        List<FastaRecord> cut = ShortQueries.cut(demo, queries + WARMUP_JOBS + jobs * rounds, SEED);
        Path bigQueries = dir.resolve("queries.fasta");
        Files.writeString(bigQueries, Fasta.write(cut.subList(0, queries)));
        List<String> names = USER_NAMES.subList(0, users);

        LocalStack.Builder builder = home.stack()
                .users(names)
                .setting("AEGIS_LIMITS_SUBMITS_PER_MINUTE", Integer.toString(SUBMITS_PER_MINUTE))
                .setting("AEGIS_QUEUE_ACTIVE_PER_USER", Integer.toString(ACTIVE_PER_USER));
        if ("1".equals(System.getenv("AEGIS_BENCH_SMALL_JFR"))) {
            for (Service service : List.of(Service.JOB, Service.WORKER, Service.ARTIFACT, Service.LOG_STREAM)) {
                builder.jvm(service, List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:StartFlightRecording=filename="
                        + home.root().resolve("logs/" + service.id() + ".jfr") + ",settings=profile"));
            }
        }
        method(jobs, names, queries, rounds);
        Say.step("A stack of the benchmarks' own: state in " + home.repo().relativize(home.root()) + ", database "
                + BenchHome.DATABASE + " (emptied), its own Kafka and Redis, free ports; users " + String.join(", ", names)
                + " (" + SUBMITS_PER_MINUTE + " submits a minute and " + ACTIVE_PER_USER + " unfinished jobs each)");
        try (LocalStack stack = builder.start()) {
            Map<String, Http> clients = new LinkedHashMap<>();
            for (String user : names) {
                clients.put(user, new Http(stack.gateway(), stack.token(user)));
            }
            try {
                PipelineBench.awaitFile(new StoreLayout(stack.store()).database(DATABASE).resolve(DATABASE + ".pin"),
                        Duration.ofMinutes(2));
                int next = queries;
                Say.step("Warm-up: " + WARMUP_JOBS + " one-query jobs at once (not counted)");
                burst(stack, clients, cut.subList(next, next + WARMUP_JOBS), 0, dir);
                next += WARMUP_JOBS;
                for (int round = 1; round <= rounds; round++) {
                    Say.step("Round " + round + " of " + rounds + ": " + jobs + " one-query jobs at once, " + users + " users");
                    burst(stack, clients, cut.subList(next, next + jobs), round, dir);
                    next += jobs;
                    Say.step("Round " + round + " of " + rounds + ": blastp by hand, one thread, " + queries
                            + " short queries against " + DATABASE);
                    double direct = direct(stack, bigQueries, dir, round);
                    Say.step("Round " + round + " of " + rounds + ": the same queries as one Aegis job");
                    bigJob(stack, clients.values().iterator().next(), bigQueries, dir, round, direct);
                }
            } finally {
                clients.values().forEach(Http::close);
            }
            Say.step("Many small jobs");
            System.out.print(report);
            System.out.flush();
            Say.detail("report: " + BenchHome.report(dir, report.toString()));
            Say.step("Stopping the benchmark stack");
        }
    }

    private void method(int jobs, List<String> users, int queries, int rounds) {
        line("Many small jobs (./aegis bench small): the whole stack of the benchmarks' own, each service with its");
        line("defaults (the worker: its default slots and batch concurrency), on this machine's "
                + Runtime.getRuntime().availableProcessors() + " cores with the bench.");
        line(String.format(Locale.ROOT, "- burst: %d distinct one-query jobs (blastp, e-value %s, %d-%d residues, cut "
                        + "from the demo database's sequences with a tenth of their residues substituted, reuse off)",
                jobs, PipelineBench.EVALUE, ShortQueries.MIN_LENGTH, ShortQueries.MAX_LENGTH));
        line("  submitted at once through the gateway, round-robin over " + users.size() + " users ("
                + String.join(", ", users) + "); per-user limits set for the bench: " + SUBMITS_PER_MINUTE
                + " submits a minute, " + ACTIVE_PER_USER + " unfinished jobs,");
        line("  job-service's default jobs with the workers per user. Timed from just before the first submit to the");
        line("  last job both SUCCEEDED (its outcome event received) and its manifest ready (artifact-service's event");
        line("  received): jobs/s = jobs / that time. Per job: submit -> both received, and its phases: dispatch");
        line("  (submit -> the worker takes it, queueing included), prepare (-> search starts), search, merge, finish");
        line("  (-> outcome event), delivery (-> received here), finalize (outcome received -> manifest ready received).");
        line("  " + WARMUP_JOBS + " jobs at once warm the stack up first (not counted): the services' JIT compilers");
        line("  are busy long after a start, and the first burst costs half as much CPU again as the next.");
        line("  CPU per job: each process's CPU time over the burst (/proc/<pid>/stat; the worker's with its blastp");
        line("  processes) divided by the jobs. Kafka records per job: every record of the topics over the burst.");
        line(String.format(Locale.ROOT, "- one job of %d short queries against %s (same cut), submit -> outcome received, "
                + "against one blastp -num_threads 1 by hand of the same file on the database the worker built "
                + "(the worker's output format, -evalue %s, to a file); hits compared row by row.", queries, DATABASE,
                PipelineBench.EVALUE));
        line("- " + rounds + " rounds of both; the machine is let settle before each measured part.");
        line("");
    }

    /** One-query jobs submitted all at once, round-robin over the users; figures when each is finalized. */
    private void burst(LocalStack stack, Map<String, Http> clients, List<FastaRecord> queries, int round, Path dir)
            throws Exception {
        int n = queries.size();
        List<Http> by = new ArrayList<>(clients.values());
        long[] start = new long[n];
        Instant[] startedAt = new Instant[n];
        List<CompletableFuture<Http.Response>> answers = new ArrayList<>(n);
        try (JobEvents events = JobEvents.open(stack.kafka())) {
            PipelineBench.awaitQuiet();
            Machine.Meter meter = new Machine.Meter(PipelineBench.ours(() -> stack.pids().values()));
            Map<String, Long> cpuBefore = cpuTicks(stack);
            for (int i = 0; i < n; i++) {
                FastaRecord query = queries.get(i);
                byte[] body = Http.json(PipelineBench.body(query.toFasta(80), "small " + query.id(), DATABASE));
                startedAt[i] = Instant.now();
                start[i] = System.nanoTime();
                answers.add(by.get(i % by.size()).postJson("/api/v1/jobs", body));
            }
            UUID[] ids = new UUID[n];
            for (int i = 0; i < n; i++) {
                ids[i] = PipelineBench.accepted(PipelineBench.await(answers.get(i)));
            }
            long[] done = new long[n];
            double[][] phases = new double[PHASES.length][n];
            long last = 0;
            for (int i = 0; i < n; i++) {
                JobEvents.Received<JobProgressEvent> outcome = events.outcome(ids[i], JOB_TIMEOUT);
                PipelineBench.expectSucceeded(outcome.event().status(), ids[i], by.get(i % by.size()));
                JobEvents.Received<ArtifactStateEvent> manifest = events.manifest(ids[i], JOB_TIMEOUT);
                done[i] = Math.max(outcome.nanos(), manifest.nanos()) - start[i];
                last = Math.max(last, Math.max(outcome.nanos(), manifest.nanos()));
                JobEvents.Job job = events.job(ids[i]);
                JobTimeline t = JobTimeline.of(startedAt[i], job.progress().stream().map(JobEvents.Received::event).toList(),
                        List.of(), startedAt[i].plusNanos(outcome.nanos() - start[i]));
                double[] parts = {t.dispatch(), t.prepare(), t.search(), t.merge(), t.finish(), t.delivery(),
                        (manifest.nanos() - outcome.nanos()) / 1e9};
                for (int p = 0; p < PHASES.length; p++) {
                    phases[p][i] = parts[p];
                }
            }
            Machine.Usage usage = meter.stop();
            Map<String, Long> cpuAfter = cpuTicks(stack);
            double seconds = (last - start[0]) / 1e9;
            writeJobs(dir.resolve("burst-" + round + ".tsv"), ids, start, done, phases);
            String what = round == 0 ? "warm-up" : "round " + round;
            String figure = String.format(Locale.ROOT, "burst, %s: %d jobs in %.2f s = %.1f jobs/s; submit -> "
                    + "succeeded + manifest ready: %s; %s", what, n, seconds, n / seconds, Latencies.of(done).format(),
                    PipelineBench.describe(usage));
            System.out.println("    " + figure);
            if (round > 0) {
                line(figure);
                line("  phases, ms:" + phaseLine(phases));
                line("  CPU per job, ms:" + cpuLine(cpuBefore, cpuAfter, n));
                StringBuilder records = new StringBuilder("  Kafka records per job:");
                events.records().forEach((topic, count) -> records.append(String.format(Locale.ROOT, " %s %.1f;", topic,
                        (double) count / n)));
                line(records.toString());
            }
        }
    }

    /**
     * CPU time so far of each process of the stack (the worker's with the blastp processes it waited
     * for), of this process and of PostgreSQL's processes, in clock ticks.
     */
    private static Map<String, Long> cpuTicks(LocalStack stack) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        stack.pids().forEach((name, pid) -> ticks.put(name, Machine.processTicks(List.of(pid))));
        ticks.put("bench", Machine.processTicks(List.of(ProcessHandle.current().pid())));
        ticks.put("postgres", Machine.processTicks(ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .map(ProcessHandle::pid).toList()));
        return ticks;
    }

    /** Each process's CPU over the burst, per job; a tick is 10 ms on Linux. */
    private static String cpuLine(Map<String, Long> before, Map<String, Long> after, int jobs) {
        StringBuilder line = new StringBuilder();
        long total = 0;
        for (var entry : after.entrySet()) {
            long ticks = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            total += ticks;
            line.append(String.format(Locale.ROOT, " %s %.0f;", entry.getKey(), 10.0 * ticks / jobs));
        }
        return line.append(String.format(Locale.ROOT, " all %.0f", 10.0 * total / jobs)).toString();
    }

    private static String phaseLine(double[][] phases) {
        StringBuilder line = new StringBuilder();
        for (int p = 0; p < PHASES.length; p++) {
            double[] values = Arrays.stream(phases[p]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            if (values.length == 0) {
                line.append(String.format(Locale.ROOT, " %s -", PHASES[p]));
                continue;
            }
            line.append(String.format(Locale.ROOT, " %s p50 %.0f p99 %.0f%s", PHASES[p], 1e3 * rank(values, 0.50),
                    1e3 * rank(values, 0.99), p < PHASES.length - 1 ? ";" : ""));
        }
        return line.toString();
    }

    private static double rank(double[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Each job's submit (from the first submit), its total and its phases, in milliseconds. */
    private static void writeJobs(Path file, UUID[] ids, long[] start, long[] done, double[][] phases) throws Exception {
        StringBuilder tsv = new StringBuilder("job\tsubmitted_ms\ttotal_ms");
        for (String phase : PHASES) {
            tsv.append('\t').append(phase).append("_ms");
        }
        tsv.append('\n');
        for (int i = 0; i < ids.length; i++) {
            tsv.append(ids[i]).append('\t').append(String.format(Locale.ROOT, "%.1f\t%.1f", (start[i] - start[0]) / 1e6,
                    done[i] / 1e6));
            for (double[] phase : phases) {
                tsv.append('\t').append(String.format(Locale.ROOT, "%.1f", 1e3 * phase[i]));
            }
            tsv.append('\n');
        }
        Files.writeString(file, tsv);
    }

    /** blastp by hand on the file, as the worker runs a batch; its wall time in seconds. */
    private double direct(LocalStack stack, Path queries, Path dir, int round) throws Exception {
        Path database = new StoreLayout(stack.store()).database(DATABASE).resolve(DATABASE);
        Path out = dir.resolve("direct-" + round + ".tsv");
        PipelineBench.ByHand run = PipelineBench.byHand(queries, database, out, dir.resolve("direct-" + round + ".log"),
                () -> stack.pids().values());
        System.out.printf(Locale.ROOT, "    blastp by hand: %.2f s, %d hit rows; %s%n", run.seconds(),
                PipelineBench.lines(out), PipelineBench.describe(run.usage()));
        return run.seconds();
    }

    /** The queries as one job, submit -> outcome received (and -> manifest ready), against the direct run. */
    private void bigJob(LocalStack stack, Http http, Path queries, Path dir, int round, double direct) throws Exception {
        byte[] body = Http.json(PipelineBench.body(Files.readString(queries), "small bench, " + round, DATABASE));
        try (JobEvents events = JobEvents.open(stack.kafka())) {
            PipelineBench.awaitQuiet();
            Machine.Meter meter = new Machine.Meter(PipelineBench.ours(() -> stack.pids().values()));
            Map<String, Long> cpuBefore = cpuTicks(stack);
            Instant startedAt = Instant.now();
            long start = System.nanoTime();
            UUID id = PipelineBench.accepted(PipelineBench.await(http.postJson("/api/v1/jobs", body)));
            JobEvents.Received<JobProgressEvent> outcome = events.outcome(id, JOB_TIMEOUT);
            double seconds = (outcome.nanos() - start) / 1e9;
            Machine.Usage usage = meter.stop();
            Map<String, Long> cpuAfter = cpuTicks(stack);
            PipelineBench.expectSucceeded(outcome.event().status(), id, http);
            double manifest = (events.manifest(id, JOB_TIMEOUT).nanos() - start) / 1e9;
            Thread.sleep(500); // log lines travel on a topic of their own: let the last ones arrive
            JobEvents.Job job = events.job(id);
            JobTimeline t = JobTimeline.of(startedAt, job.progress().stream().map(JobEvents.Received::event).toList(),
                    job.logs().stream().map(JobEvents.Received::event).toList(), startedAt.plusNanos(outcome.nanos() - start));
            HitTables.Comparison comparison = HitTables.compare(new StoreLayout(stack.store()).results(id)
                    .resolve("hits.tsv"), dir.resolve("direct-" + round + ".tsv"));
            String figure = String.format(Locale.ROOT, "%d-query job, round %d: blastp by hand %.2f s, through Aegis "
                            + "%.2f s (manifest ready %.2f s): %.2fx faster; %s; %s", lineCount(queries), round, direct,
                    seconds, manifest, direct / seconds, comparison.describe(), PipelineBench.describe(usage));
            System.out.println("    " + figure);
            line(figure);
            line(String.format(Locale.ROOT, "  phases, s: dispatch %.3f prepare %.3f search %.3f (%d batches, their "
                            + "own times adding up to %.3f) merge %.3f finish %.3f delivery %.3f", t.dispatch(), t.prepare(),
                    t.search(), t.batches(), t.batchSum(), t.merge(), t.finish(), t.delivery()));
            line("  CPU of the job, ms:" + cpuLine(cpuBefore, cpuAfter, 1));
        }
    }

    private static long lineCount(Path fasta) throws Exception {
        try (var lines = Files.lines(fasta)) {
            return lines.filter(l -> l.startsWith(">")).count();
        }
    }

    private void line(String text) {
        report.append(text).append('\n');
    }
}
