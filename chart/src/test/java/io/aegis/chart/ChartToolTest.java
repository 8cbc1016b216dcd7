package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartToolTest {

    @Test
    void aSecretsValueComesFromTheEnvironmentVariableItsOptionNames() {
        ChartTool.Arguments arguments = ChartTool.Arguments.parse("podman", "--secret", "smoke-internal/internal-key=KEY",
                "--set", "image.tag=1");

        assertThat(arguments.secrets()).containsExactly(Map.entry("smoke-internal/internal-key", "KEY"));
        assertThat(arguments.secretValues(Map.of("KEY", "the-key", "OTHER", "x")))
                .containsExactly(Map.entry("smoke-internal/internal-key", "the-key"));
    }

    @Test
    void aSecretWhoseVariableIsNotSetIsRefusedNamingIt() {
        ChartTool.Arguments arguments = ChartTool.Arguments.parse("podman", "--secret", "smoke-identity/token-secret=TOKEN");

        assertThatThrownBy(() -> arguments.secretValues(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOKEN is not set");
    }
}
