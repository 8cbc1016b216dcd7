package io.aegis.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./aegis bench} drives a running stack and prints the figures:
 * <pre>
 *   Bench submit  --gateway URL --token T [--rate 500] [--warmup-jobs 30000] [--seconds 30]
 *   Bench history --gateway URL --token T [--rounds 500]
 *   Bench pipeline-data    --dir D --database-source FILE [--queries 1000]
 *   Bench pipeline-direct  --dir D --store S --pids P --round N
 *   Bench pipeline-job     --dir D --store S --pids P --round N --concurrency C --gateway URL --token T --kafka HOST:PORT
 *   Bench pipeline-latency --dir D --gateway URL --token T --kafka HOST:PORT [--jobs 50]
 *   Bench pipeline-report  --dir D
 *   Bench streams --service URL --kafka HOST:PORT --pids P [--job-service-port 18081] [--streams 10000]
 *                 [--jobs streams/10] [--rate 1000] [--seconds 60] [--warmup 30] [--open-rate 500]
 *                 [--streams-per-user 10]
 *   Bench artifacts --service URL --kafka HOST:PORT --store S [--job-service-port 18081] [--hits 1000000]
 *                   [--queries 10000] [--pages 1000] [--gc-log F]
 * </pre>
 * The pipeline phases are described in {@link PipelineBench}, the live streams in {@link StreamLoad}, finalizing
 * and serving a large job in {@link ArtifactLoad}.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        // the Kafka client logs through SLF4J: its warnings and errors only
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "submit" -> {
                try (Http http = http(options)) {
                    System.out.println("submit through the gateway: " + new SubmitLoad(http)
                            .run(number(options, "rate", 500), number(options, "warmup-jobs", 30_000),
                                    number(options, "seconds", 30))
                            .format());
                }
            }
            case "history" -> {
                try (Http http = http(options)) {
                    new HistoryLoad(http).run(number(options, "rounds", 500))
                            .forEach((scenario, latencies) -> System.out.printf("history %-28s %s%n", scenario,
                                    latencies.format()));
                }
            }
            case "pipeline-data" -> pipeline(options).data(Path.of(required(options, "database-source")),
                    number(options, "queries", 1_000));
            case "pipeline-direct" -> pipeline(options).direct(Path.of(required(options, "store")),
                    Path.of(required(options, "pids")), number(options, "round", 1));
            case "pipeline-job" -> {
                try (Http http = http(options)) {
                    pipeline(options).job(http, required(options, "kafka"), Path.of(required(options, "store")),
                            Path.of(required(options, "pids")), number(options, "concurrency", 1),
                            number(options, "round", 1));
                }
            }
            case "pipeline-latency" -> {
                try (Http http = http(options)) {
                    pipeline(options).latency(http, required(options, "kafka"), number(options, "jobs", 50));
                }
            }
            case "pipeline-report" -> System.out.print(pipeline(options).report());
            case "streams" -> {
                int streams = number(options, "streams", 10_000);
                StreamLoad load = new StreamLoad(new StreamLoad.Options(URI.create(required(options, "service")),
                        required(options, "kafka"), number(options, "job-service-port", 18081), streams,
                        number(options, "jobs", Math.max(1, streams / 10)), number(options, "rate", 1_000),
                        number(options, "seconds", 60), number(options, "warmup", 30),
                        number(options, "open-rate", 500), number(options, "streams-per-user", 10),
                        Path.of(required(options, "pids"))));
                // thousands of connections and the Kafka clients: exit without waiting for their threads
                try {
                    System.out.print(load.run());
                    System.out.flush();
                    System.exit(0);
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(1);
                }
            }
            case "artifacts" -> {
                ArtifactLoad load = new ArtifactLoad(new ArtifactLoad.Options(URI.create(required(options, "service")),
                        required(options, "kafka"), Path.of(required(options, "store")),
                        number(options, "job-service-port", 18081), number(options, "hits", 1_000_000),
                        number(options, "queries", 10_000), number(options, "pages", 1_000),
                        options.containsKey("gc-log") ? Path.of(options.get("gc-log")) : null));
                System.out.print(load.run());
                System.out.flush();
                // the Kafka client's threads: exit without waiting for them
                System.exit(0);
            }
            default -> usage();
        }
    }

    private static Http http(Map<String, String> options) {
        return new Http(URI.create(required(options, "gateway")), required(options, "token"));
    }

    private static PipelineBench pipeline(Map<String, String> options) {
        return new PipelineBench(Path.of(required(options, "dir")));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("missing --" + name);
            usage();
        }
        return value;
    }

    private static int number(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private static void usage() {
        System.err.println("""
                usage: Bench submit|history --gateway URL --token TOKEN [--rate N --warmup-jobs N --seconds S | --rounds N]
                       Bench pipeline-data|pipeline-direct|pipeline-job|pipeline-latency|pipeline-report --dir DIR ...
                       Bench streams --service URL --kafka HOST:PORT --pids DIR [--streams N --rate N --seconds S ...]
                       Bench artifacts --service URL --kafka HOST:PORT --store DIR [--hits N --queries N --pages N --gc-log F]
                       (see io.aegis.bench.Bench for each one's options)""");
        System.exit(2);
    }

    private Bench() {
    }
}
