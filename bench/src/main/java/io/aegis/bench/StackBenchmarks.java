package io.aegis.bench;

import io.aegis.stack.LocalStack;
import io.aegis.stack.Psql;
import io.aegis.stack.Service;
import io.aegis.stack.ServiceEnvironment.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code ./aegis bench [submit|history|pipeline|all]}: the whole stack (the five services, Kafka,
 * Redis, and for the submit benchmark the stack's Keycloak) of the benchmarks' own, started fresh,
 * measured and stopped:
 * <ul>
 * <li>pipeline: the same queries by hand and as Aegis jobs, round by round ({@link PipelineBench});</li>
 * <li>submit: raw inserts into the same PostgreSQL (pgbench) for the ceiling, then jobs submitted
 * through the gateway at a fixed rate with the worker stopped ({@link SubmitLoad});</li>
 * <li>history: a year of finished jobs seeded with SQL, then pages read through the gateway
 * ({@link HistoryLoad}).</li>
 * </ul>
 * The pipeline runs first: it needs a running worker and an empty queue, which the submit benchmark
 * does not leave behind it.
 */
final class StackBenchmarks {

    /** As job-service's {@code HistoryQuery.toSql} writes them for the benchmark user, {@code q=run 1234}, limit 50. */
    private static final int TEXT_WINDOW = 1_000;
    private static final String SUMMARY = "id, name, file_name, pipeline, database_name, status, step, done, total,"
            + " attempt, error_code, reused_from, created_at, started_at, finished_at";
    private static final String TEXT = "(name ILIKE '%run 1234%' OR file_name ILIKE '%run 1234%')";
    /** The term's pieces, offered to the planner beside the whole term (HistoryQuery.pieces). */
    private static final String PIECES = " AND (name ILIKE '%1234%' OR file_name ILIKE '%1234%')"
            + " AND (name ILIKE '%run%' OR file_name ILIKE '%run%')";
    private static final String PAGE = " ORDER BY created_at DESC, id DESC LIMIT ";

    private final BenchHome home;
    private final BenchOptions options;
    private final boolean pipeline;
    private final boolean submit;
    private final boolean history;

    StackBenchmarks(BenchHome home, String which, BenchOptions options) {
        this.home = home;
        this.options = options;
        this.pipeline = which.equals("pipeline") || which.equals("all");
        this.submit = which.equals("submit") || which.equals("all");
        this.history = which.equals("history") || which.equals("all");
    }

    void run() throws Exception {
        home.fresh("store", "logs", "pipeline", "databases");
        // the worker's databases: the examples, and for the pipeline benchmark one generated here
        Path databases = home.dir("databases");
        try (Stream<Path> examples = Files.list(home.repo().resolve("examples/databases"))) {
            for (Path fasta : examples.filter(f -> f.toString().endsWith(".fasta")).toList()) {
                Files.createSymbolicLink(databases.resolve(fasta.getFileName()), fasta);
            }
        }
        PipelineBench pipelineBench = new PipelineBench(home.root().resolve("pipeline"));
        if (pipeline) {
            Say.step("Writing the benchmark database and queries (deterministic; the worker builds the database at start)");
            pipelineBench.data(databases.resolve(PipelineBench.DATABASE + ".fasta"),
                    options.get("queries", 1_000));
        }
        LocalStack.Builder builder = home.stack().databasesSource(databases);
        if (submit) {
            // submits are signed in through the stack's provider, as alice
            builder.provider(home.keycloak());
        }
        Say.step("A stack of the benchmarks' own: state in " + home.repo().relativize(home.root()) + ", database "
                + BenchHome.DATABASE + " (emptied), its own Kafka and Redis, free ports");
        try (LocalStack stack = builder.start()) {
            // the seeded history and the pipeline runs belong to the user bench, a token of the gateway's own
            String token = stack.token("bench");
            if (pipeline) {
                pipeline(stack, pipelineBench, token);
            }
            if (submit) {
                submit(stack);
            }
            if (history) {
                history(stack, token);
            }
            Say.step("Stopping the benchmark stack");
        }
    }

    /**
     * BLAST through Aegis vs by hand: the same queries against the same built database, blastp by hand
     * and as an Aegis job (one slot, then two batches at a time), alternately for a few rounds; then the
     * time from a submit to its first progress event. The report also goes to .aegis/bench/pipeline/.
     */
    private void pipeline(LocalStack stack, PipelineBench bench, String token) throws Exception {
        int rounds = options.get("rounds", "AEGIS_BENCH_ROUNDS", 2);
        Supplier<Collection<Long>> pids = () -> stack.pids().values();
        for (int round = 1; round <= rounds; round++) {
            Say.step("Round " + round + " of " + rounds + ": blastp by hand, one thread, on the database the worker built");
            bench.direct(stack.store(), pids, round);
            for (int concurrency = 1; concurrency <= 2; concurrency++) {
                Say.step("Round " + round + " of " + rounds + ": the same queries as one Aegis job, 1 slot, " + concurrency
                        + (concurrency == 1 ? " batch" : " batches") + " at a time");
                stack.restart(Service.WORKER, Map.of("AEGIS_WORKER_SLOTS", "1",
                        "AEGIS_WORKER_BATCH_CONCURRENCY", Integer.toString(concurrency)));
                try (Http http = new Http(stack.gateway(), token)) {
                    bench.job(http, stack.kafka(), stack.store(), pids, concurrency, round);
                }
            }
        }
        int jobs = options.get("latency-jobs", "AEGIS_BENCH_LATENCY_JOBS", 50);
        Say.step("Submit → first progress event: " + jobs + " one-query jobs, one at a time (after 5 to warm up)");
        try (Http http = new Http(stack.gateway(), token)) {
            bench.latency(http, stack.kafka(), jobs);
        }
        Say.step("BLAST through Aegis vs by hand");
        String report = bench.report();
        System.out.print(report);
        Files.writeString(home.root().resolve("pipeline/report.txt"), report);
    }

    private void submit(LocalStack stack) throws Exception {
        Database database = stack.environment().database();
        Say.step("Ceiling: raw PostgreSQL single-row inserts (pgbench, 8 clients, 15 s)");
        Psql.run(database, "-c", "DROP TABLE IF EXISTS bench_insert; CREATE TABLE bench_insert "
                + "(id bigserial PRIMARY KEY, owner text, body jsonb, at timestamptz DEFAULT now())");
        Path insert = Files.writeString(home.root().resolve("insert.sql"),
                "INSERT INTO bench_insert (owner, body) VALUES ('bench', '{\"program\": \"blastp\"}');\n");
        Psql.pgbench(database, "-c", "8", "-j", "2", "-T", "15", "-f", insert.toString()).lines()
                .filter(line -> line.startsWith("tps") || line.contains("latency average"))
                .forEach(line -> System.out.println("    pgbench " + line));
        // jobs are queued, not run: BLAST must not compete with the submit path for the two cores
        stack.stop(Service.WORKER);
        int rate = options.get("rate", "AEGIS_BENCH_RATE", 500);
        int seconds = options.get("seconds", "AEGIS_BENCH_SECONDS", 30);
        int warmup = options.get("warmup-jobs", 30_000);
        Say.step(String.format(Locale.ROOT, "Submit through the gateway: %d jobs/s for %d s (after %,d submits to warm up "
                + "and 5 s at the rate)", rate, seconds, warmup));
        try (Http http = new Http(stack.gateway(), stack.providerToken("alice"))) {
            System.out.println("submit through the gateway: " + new SubmitLoad(http).run(rate, warmup, seconds).format());
        }
        // the same load again with every running service tracing (OpenTelemetry) and exporting its spans;
        // it runs second, on the first run's jobs as well, so what it costs beyond tracing counts against it
        try (OtlpSink sink = OtlpSink.start()) {
            Say.step("The same, traced: the services restarted with tracing on, every span exported (OTLP/HTTP) to a"
                    + " sink that takes them");
            Map<String, String> tracing = Map.of("QUARKUS_OTEL_SDK_DISABLED", "false",
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", sink.endpoint());
            for (Service service : List.of(Service.JOB, Service.ARTIFACT, Service.LOG_STREAM, Service.GATEWAY)) {
                stack.restart(service, tracing);
            }
            try (Http http = new Http(stack.gateway(), stack.providerToken("alice"))) {
                System.out.println("submit through the gateway, traced: "
                        + new SubmitLoad(http).run(rate, warmup, seconds).format());
            }
            System.out.println("    spans sent: " + sink.format());
        }
    }

    private void history(LocalStack stack, String token) throws Exception {
        Database database = stack.environment().database();
        int jobs = options.get("jobs", 1_000_000);
        Say.step(String.format(Locale.ROOT, "Seeding %,d jobs (%,d of them the benchmark user's)", jobs, jobs / 5));
        long started = System.nanoTime();
        Psql.run(database, "-v", "jobs=" + jobs, "-f", home.repo().resolve("bench/history-seed.sql").toString());
        String count = Psql.run(database, "-tAc", "SELECT count(*) FROM jobs.job").strip();
        Say.detail(String.format(Locale.ROOT, "seeded in %d s; %s jobs in the table",
                Math.round((System.nanoTime() - started) / 1e9), count));
        int requests = options.get("requests", 500);
        Say.step("History pages through the gateway (one client, " + requests + " requests per scenario)");
        try (Http http = new Http(stack.gateway(), token)) {
            new HistoryLoad(http).run(requests).forEach((scenario, latencies) ->
                    System.out.printf("history %-28s %s%n", scenario, latencies.format()));
        }
        Say.step("How PostgreSQL answers the text search q=run 1234 (the statements job-service's HistoryQuery runs"
                + " for its first page: the newest " + TEXT_WINDOW + " jobs first, then the trigram index, by the term's"
                + " pieces the planner finds the most selective)");
        for (String statement : List.of(textWindow(), textIndexed())) {
            System.out.print(Psql.run(database, "-c", "EXPLAIN (ANALYZE, BUFFERS) " + statement));
        }
    }

    private static String textWindow() {
        return "SELECT * FROM (SELECT " + SUMMARY + " FROM jobs.job WHERE owner = 'bench'" + PAGE + TEXT_WINDOW
                + ") AS recent WHERE " + TEXT + PAGE + 51;
    }

    private static String textIndexed() {
        return "WITH hits AS MATERIALIZED (SELECT " + SUMMARY + " FROM jobs.job WHERE owner = 'bench' AND " + TEXT
                + PIECES + ") SELECT * FROM hits" + PAGE + 51;
    }
}
