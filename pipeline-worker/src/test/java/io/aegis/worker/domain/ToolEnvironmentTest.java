package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolEnvironmentTest {

    @Test
    void aToolGetsThePathLocaleAndBlastSettingsAndNoneOfTheWorkersSecrets() {
        Map<String, String> worker = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/aegis", "LC_ALL", "C.UTF-8",
                "BLASTDB", "/store/databases", "AEGIS_INTERNAL_KEY", "k", "AEGIS_DB_PASSWORD", "p",
                "AEGIS_REDIS_URL", "redis://:p@redis:6379", "KAFKA_SASL_JAAS_CONFIG", "password=p",
                "JAVA_OPTS", "-Xmx1g", "MY_API_TOKEN", "t");

        assertThat(ToolEnvironment.of(worker)).containsExactlyInAnyOrderEntriesOf(Map.of("PATH", "/usr/bin:/bin",
                "HOME", "/home/aegis", "LC_ALL", "C.UTF-8", "BLASTDB", "/store/databases"));
    }
}
