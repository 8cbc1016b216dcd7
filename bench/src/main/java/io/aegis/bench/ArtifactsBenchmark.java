package io.aegis.bench;

import io.aegis.stack.LocalStack;
import io.aegis.stack.Service;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./aegis bench artifacts}: one artifact-service with a heap of 256 MB finalizes a finished
 * job of a million hits (written into the store as the worker writes it; its log lines and terminal
 * state on Kafka), then serves pages of its hit table, a download of hits.tsv beside reading the file
 * from disk, and the export zip ({@link ArtifactLoad}). Only what finalization needs runs: PostgreSQL,
 * Kafka, artifact-service, and this process, which also stands in for job-service (the execution
 * steps). The report also goes to {@code .aegis/bench/artifacts/}.
 */
final class ArtifactsBenchmark {

    private final BenchHome home;
    private final BenchOptions options;

    ArtifactsBenchmark(BenchHome home, BenchOptions options) {
        this.home = home;
        this.options = options;
    }

    void run() throws Exception {
        int hits = options.get("hits", 1_000_000);
        int queries = options.get("queries", 10_000);
        int pages = options.get("pages", 1_000);
        Path dir = home.dir("artifacts");
        home.fresh("store", "logs");
        Path gcLog = home.dir("logs").resolve("artifact-service-gc.log");
        // the heap the figure is about, with the local stack's collector; its log gives the most heap in use
        List<String> jvm = List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog + ":uptime");
        Say.step("A stack of the benchmarks' own: Kafka and artifact-service with " + String.join(" ", jvm)
                + ", database " + BenchHome.DATABASE + " (emptied)");
        try (LocalStack stack = home.stack().services(Service.ARTIFACT).jvm(Service.ARTIFACT, jvm).start()) {
            Say.step(String.format("Artifacts: a finished job with %d hits over %d queries, finalized and served",
                    hits, queries));
            ArtifactLoad load = new ArtifactLoad(new ArtifactLoad.Options(URI.create(stack.url(Service.ARTIFACT)),
                    stack.kafka(), stack.store(), home.dir("searches"), stack.port(Service.JOB), hits, queries, pages, gcLog,
                    new BenchCallers(stack.internalKey())));
            String report = load.run();
            System.out.print(report);
            System.out.flush();
            Say.detail("report: " + BenchHome.report(dir, report));
            Say.step("Stopping the benchmark stack");
        }
    }
}
