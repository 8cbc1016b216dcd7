package io.aegis.worker.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the metrics read what is costly to read ({@code aegis.metrics.*}). */
@ConfigMapping(prefix = "aegis.metrics")
public interface MetricsConfig {

    /**
     * How often {@link ToolCpu} reads the CPU time of the tools running as local processes: a tool's
     * time after its last reading is not counted.
     */
    @WithDefault("250ms")
    Duration toolCpuInterval();
}
