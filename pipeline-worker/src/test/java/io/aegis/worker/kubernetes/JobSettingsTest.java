package io.aegis.worker.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.worker.config.WorkerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    @Test
    void theDefaultsRunEachToolOnceInTheBlastImageWithBoundedResources() {
        JobSettings settings = JobSettings.of(config(Map.of()), "workers");
        assertThat(settings).isEqualTo(new JobSettings("workers", "aegis/blast:2.16.0", Optional.empty(), List.of(),
                Path.of("/var/lib/aegis/store"), "aegis-store", "1", "1", "1Gi", "2Gi", 0, Duration.ofHours(1),
                Optional.empty(), 10));
    }

    @Test
    void theNamespaceIsTheConfiguredOneThenTheClientsThenDefault() {
        assertThat(JobSettings.of(config(Map.of("aegis.worker.kubernetes.namespace", "blast")), "workers").namespace())
                .isEqualTo("blast");
        assertThat(JobSettings.of(config(Map.of()), "workers").namespace()).isEqualTo("workers");
        assertThat(JobSettings.of(config(Map.of()), null).namespace()).isEqualTo("default");
    }

    @Test
    void everyKeyUnderAegisWorkerKubernetesIsRead() {
        JobSettings settings = JobSettings.of(config(Map.of(
                "aegis.worker.kubernetes.image", "registry.example/blast:2.16.0",
                "aegis.worker.kubernetes.image-pull-policy", "Always",
                "aegis.worker.kubernetes.image-pull-secrets", "one,two",
                "aegis.worker.kubernetes.store-claim", "store",
                "aegis.worker.kubernetes.cpu-request", "500m",
                "aegis.worker.kubernetes.memory-limit", "8Gi",
                "aegis.worker.kubernetes.backoff-limit", "2",
                "aegis.worker.kubernetes.ttl-after-finished", "10m",
                "aegis.worker.kubernetes.service-account", "aegis-tools",
                "aegis.worker.kubernetes.log-tail-lines", "50")), "workers");
        assertThat(settings).isEqualTo(new JobSettings("workers", "registry.example/blast:2.16.0", Optional.of("Always"),
                List.of("one", "two"), Path.of("/var/lib/aegis/store"), "store", "500m", "1", "1Gi", "8Gi", 2,
                Duration.ofMinutes(10), Optional.of("aegis-tools"), 50));
    }

    @Test
    void aNegativeBackoffLimitIsRefused() {
        assertThatThrownBy(() -> JobSettings.of(config(Map.of("aegis.worker.kubernetes.backoff-limit", "-1")), "workers"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff-limit");
    }

    private static WorkerConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("aegis.store.root", "/var/lib/aegis/store");
        all.put("aegis.instance", "pipeline-worker-0");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                // "5s", "1h": Quarkus' shorthand for durations, which plain SmallRye Config lacks
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new MapBackedConfigSource("test", all) {
                })
                .build();
        return config.getConfigMapping(WorkerConfig.class);
    }
}
