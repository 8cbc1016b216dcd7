package io.aegis.artifact.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the finalizer does, for Prometheus: how long each part of a job's artifacts takes to build
 * ({@code aegis_artifact_build_duration_seconds}, by part and outcome) and how each build attempt
 * settles ({@code aegis_finalizations_total}: {@code done}, {@code retried}, or {@code failed} for
 * good). The part label is the part's artifact name (summary.json, hits.tsv, a BLAST format…): a
 * fixed set per pipeline, never a job.
 */
@ApplicationScoped
public class ArtifactMetrics {

    public static final String DONE = "done";
    public static final String RETRIED = "retried";
    public static final String FAILED = "failed";

    /** A part takes milliseconds (the manifest) to many minutes (BLAST's formats of a million hits). */
    static final Duration[] BUILD_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(60)};

    private final MeterRegistry registry;

    public ArtifactMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Builds a part through {@code build}, timed from subscription to its item ({@code built}) or failure. */
    public <T> Uni<T> timedPart(String part, Supplier<Uni<T>> build) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(registry);
            return build.get().onItemOrFailure().invoke((item, failure) -> sample.stop(Timer
                    .builder("aegis.artifact.build.duration").description("How long one part of a job's artifacts took to build")
                    .tag("part", part).tag("outcome", failure == null ? "built" : "failed")
                    .serviceLevelObjectives(BUILD_BUCKETS).register(registry)));
        });
    }

    /** A build attempt settled: {@link #DONE}, {@link #RETRIED} or {@link #FAILED} for good. */
    public void settled(String outcome) {
        Counter.builder("aegis.finalizations").description("Build attempts of a job's artifacts, by how they settled")
                .tag("outcome", outcome).register(registry).increment();
    }
}
