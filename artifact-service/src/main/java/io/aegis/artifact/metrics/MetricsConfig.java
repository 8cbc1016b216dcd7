package io.aegis.artifact.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the metrics read what is costly to read ({@code aegis.metrics.*}). */
@ConfigMapping(prefix = "aegis.metrics")
public interface MetricsConfig {

    /**
     * How often {@link FinalizationGauges} reads the finalization backlog from the database: a scrape reads
     * the last values, so the gauges' age is at most this.
     */
    @WithDefault("15s")
    Duration refreshInterval();
}
