package io.aegis.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./aegis bench}: each benchmark starts a stack of its own with the local-stack library
 * (state in {@code .aegis/bench}, database {@code aegis_bench}, its own broker and Redis, free
 * ports), runs its load, prints its method and figures, and stops the stack; your stack and history
 * are untouched. The script makes sure of the machine and the build, then runs this with the
 * repository as {@code -Daegis.repo}:
 * <pre>
 *   Bench [submit|history|pipeline|all]
 *         submit:   [--rate 500] [--seconds 30] [--warmup-jobs 30000]    (AEGIS_BENCH_RATE, AEGIS_BENCH_SECONDS)
 *         history:  [--jobs 1000000] [--requests 500]
 *         pipeline: [--queries 1000] [--rounds 2] [--latency-jobs 50]   (AEGIS_BENCH_ROUNDS, AEGIS_BENCH_LATENCY_JOBS)
 *         all:      any of these
 *   Bench streams [--streams 10000] [--rate 1000] [--seconds 60] [--jobs streams/10] [--warmup 30] [--open-rate 200]
 *                 [--direct 1]   (straight to log-stream-service, not through the gateway)
 *   Bench artifacts [--hits 1000000] [--queries 10000] [--pages 1000]
 *   Bench small [--jobs 100] [--users 4] [--queries 1000] [--rounds 2]
 * </pre>
 * The benchmarks are {@link StackBenchmarks} (with {@link PipelineBench}, {@link SubmitLoad} and
 * {@link HistoryLoad}), {@link StreamsBenchmark} ({@link StreamLoad}) and {@link ArtifactsBenchmark}
 * ({@link ArtifactLoad}) and {@link SmallJobsBenchmark}.
 */
public final class Bench {

    private static final Set<String> SUBMIT = Set.of("rate", "seconds", "warmup-jobs");
    private static final Set<String> HISTORY = Set.of("jobs", "requests");
    private static final Set<String> PIPELINE = Set.of("queries", "rounds", "latency-jobs");
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "submit", SUBMIT,
            "history", HISTORY,
            "pipeline", PIPELINE,
            "all", union(SUBMIT, HISTORY, PIPELINE),
            "streams", Set.of("streams", "rate", "seconds", "jobs", "warmup", "open-rate", "streams-per-user", "direct"),
            "artifacts", Set.of("hits", "queries", "pages"),
            "small", Set.of("jobs", "users", "queries", "rounds"));

    private static final String USAGE = """
            usage: ./aegis bench [submit|history|pipeline|all] [options]
                     submit:   --rate 500 --seconds 30 --warmup-jobs 30000
                     history:  --jobs 1000000 --requests 500
                     pipeline: --queries 1000 --rounds 2 --latency-jobs 50
                     all:      any of these
                   ./aegis bench streams [--streams 10000] [--rate 1000] [--seconds 60] [--jobs streams/10] [--warmup 30] [--open-rate 200] [--direct 1]
                   ./aegis bench artifacts [--hits 1000000] [--queries 10000] [--pages 1000]
                   ./aegis bench small [--jobs 100] [--users 4] [--queries 1000] [--rounds 2]""";

    public static void main(String[] args) {
        List<String> rest = List.of(args);
        String which = "all";
        if (!rest.isEmpty() && !rest.getFirst().startsWith("-")) {
            which = rest.getFirst();
            rest = rest.subList(1, rest.size());
        }
        if (!OPTIONS.containsKey(which)) {
            refuse("unknown benchmark '" + which + "'");
        }
        BenchHome home = BenchHome.of(Path.of(System.getProperty("aegis.repo", ".")).toAbsolutePath().normalize());
        int exit = 0;
        try {
            BenchOptions options = BenchOptions.parse(rest, OPTIONS.get(which));
            switch (which) {
                case "streams" -> new StreamsBenchmark(home, options).run();
                case "artifacts" -> new ArtifactsBenchmark(home, options).run();
                case "small" -> new SmallJobsBenchmark(home, options).run();
                default -> new StackBenchmarks(home, which, options).run();
            }
        } catch (BenchOptions.Refused e) {
            refuse(e.getMessage());
        } catch (Exception e) {
            System.err.println("aegis: the benchmark failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.out.flush();
        // the Kafka clients' and the HTTP clients' threads: exit without waiting for them
        System.exit(exit);
    }

    private static void refuse(String why) {
        System.err.println("aegis: " + why + "\n" + USAGE);
        System.exit(2);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        return Set.copyOf(Arrays.stream(sets).flatMap(Set::stream).toList());
    }

    private Bench() {
    }
}
