package io.aegis.bench;

import io.aegis.stack.LocalStack;
import io.aegis.stack.Service;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code ./aegis bench streams}: one log-stream-service with a heap of 512 MB holds many SSE
 * streams while log lines are published to Kafka the way the worker publishes them; delivery
 * latency beside the broker's own produce → consume latency, measured on the same records
 * ({@link StreamLoad}). The viewers connect as users do, through the gateway (a stream ticket, then
 * the stream, which the gateway proxies to log-stream-service); with {@code --direct 1} straight to
 * log-stream-service, as the gateway would. Only what the streams need runs: Kafka, a Redis of the
 * stack's own, log-stream-service, the gateway, and this process, which also stands in for
 * job-service (the snapshots, and the ownership a ticket asks for). The report also goes to
 * {@code .aegis/bench/streams/}.
 */
final class StreamsBenchmark {

    /**
     * The service's collector. With ten thousand streams the heap holds ~180 MB that lives as long as
     * they do, and every event is written to ten of them: the parallel collector with a fixed young
     * generation keeps up with the least CPU (G1's barriers and refinement threads, or ZGC's concurrent
     * cycles, take more of the two cores, and the serial collector of the local stack stops every
     * stream for seconds to go over the old generation). {@code AEGIS_BENCH_STREAMS_GC} picks another;
     * more options through {@code AEGIS_BENCH_STREAMS_JAVA_OPTS} (a flight recording, say).
     */
    private static final String COLLECTOR = "-XX:+UseParallelGC -Xmn256m";
    /** Descriptors beside the streams' own: the service's jars, Kafka's and Redis's connections. */
    private static final int SPARE_FILES = 1_000;

    private final BenchHome home;
    private final BenchOptions options;

    StreamsBenchmark(BenchHome home, BenchOptions options) {
        this.home = home;
        this.options = options;
    }

    void run() throws Exception {
        int streams = options.get("streams", 10_000);
        int jobs = options.get("jobs", Math.max(1, streams / 10));
        int rate = options.get("rate", 1_000);
        int seconds = options.get("seconds", 60);
        int warmup = options.get("warmup", 30);
        int openRate = options.get("open-rate", 200);
        int perUser = options.get("streams-per-user", 10);
        boolean direct = options.get("direct", 0) > 0;
        // no process holds more than a socket a stream: this one the viewers', the gateway theirs (its way on to
        // log-stream-service is a few HTTP/2 connections), log-stream-service one a stream opened straight at it.
        // The JVM takes the hard limit, and the services inherit it from this process
        long files = openFiles();
        if (files < streams + SPARE_FILES) {
            throw new BenchOptions.Refused(streams + " streams need about " + (streams + SPARE_FILES)
                    + " open files per process; this one may open " + files + " (ulimit -Hn)");
        }
        Path dir = home.dir("streams");
        home.fresh("logs");
        Path gcLog = home.dir("logs").resolve("log-stream-service-gc.log");
        List<String> jvm = jvm(gcLog);
        List<String> users = IntStream.range(0, Math.ceilDiv(streams, perUser)).mapToObj(StreamLoad::user).toList();
        LocalStack.Builder builder = home.stack().jvm(Service.LOG_STREAM, jvm);
        if (direct) {
            builder.services(Service.LOG_STREAM);
        } else {
            // the gateway as the service: the same heap and collector, its own collector log
            builder.services(Service.LOG_STREAM, Service.GATEWAY).users(users)
                    .jvm(Service.GATEWAY, jvm(home.dir("logs").resolve("gateway-service-gc.log")));
        }
        Say.step("A stack of the benchmarks' own: Kafka, Redis, log-stream-service" + (direct ? "" : " and the gateway")
                + " with " + String.join(" ", jvm) + " (open files: " + files + ")");
        try (LocalStack stack = builder.start()) {
            Say.step(String.format("Live streams: %d SSE streams over %d jobs, %d log lines/s for %d s after %d s of "
                    + "warm-up", streams, jobs, rate, seconds, warmup));
            Say.detail("log-stream-service, the load generator, Kafka and Redis share this machine's "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            Map<String, Long> pids = stack.pids();
            Map<String, String> tokens = Map.of();
            if (!direct) {
                Say.detail("signing " + users.size() + " users in (./aegis token)");
                tokens = zip(users, stack.tokens(users));
            }
            StreamLoad load = new StreamLoad(new StreamLoad.Options(URI.create(stack.url(Service.LOG_STREAM)),
                    direct ? null : stack.gateway(), tokens, stack.kafka(), stack.port(Service.JOB), streams, jobs, rate,
                    seconds, warmup, openRate, perUser, pids, new BenchCallers(stack.internalKey()),
                    URI.create(stack.metricsUrl(Service.LOG_STREAM))));
            String report = load.run();
            System.out.print(report);
            System.out.flush();
            Say.detail("report: " + BenchHome.report(dir, report));
            Say.step("Stopping the benchmark stack");
        }
    }

    /** A service's JVM: a heap of 512 MB, the collector, a collector log in {@code gcLog}. */
    private static List<String> jvm(Path gcLog) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        jvm.addAll(words(System.getenv().getOrDefault("AEGIS_BENCH_STREAMS_GC", COLLECTOR)));
        jvm.add("-Xlog:gc:file=" + gcLog + ":uptime");
        jvm.addAll(words(System.getenv().getOrDefault("AEGIS_BENCH_STREAMS_JAVA_OPTS", "")));
        return jvm;
    }

    private static Map<String, String> zip(List<String> users, List<String> tokens) {
        Map<String, String> byUser = new HashMap<>();
        for (int i = 0; i < users.size(); i++) {
            byUser.put(users.get(i), tokens.get(i));
        }
        return byUser;
    }

    /** The open files this process may have (its soft limit), from {@code /proc/self/limits}. */
    private static long openFiles() throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.exists(limits)) {
            return Long.MAX_VALUE;
        }
        return Files.readAllLines(limits).stream().filter(line -> line.startsWith("Max open files"))
                .map(line -> line.substring("Max open files".length()).strip().split("\\s+")[0])
                .map(soft -> soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft))
                .findFirst().orElse(Long.MAX_VALUE);
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }
}
