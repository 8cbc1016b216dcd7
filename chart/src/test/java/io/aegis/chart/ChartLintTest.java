package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict}: the chart's structure, its templates and its values against the schema. */
class ChartLintTest {

    @Test
    void lintPassesStrictWithTheDefaultValues() {
        assertPasses(HelmChart.lint());
    }

    @Test
    void lintPassesStrictWithTheLeastAProductionInstallNames() {
        assertPasses(HelmChart.lintWith("lint-production", List.of(HelmChart.testValues("production.yaml"))));
    }

    @Test
    void lintPassesStrictWithTheDevValues() {
        assertPasses(HelmChart.lintWith("lint-dev", List.of(HelmChart.file("values-dev.yaml"))));
    }

    @Test
    void lintPassesStrictWithKafkaOverSaslAndTlsAnIngressAndAutoscaling() {
        assertPasses(HelmChart.lintWith("lint-sasl", List.of(HelmChart.testValues("production.yaml"),
                HelmChart.testValues("kafka-sasl-tls.yaml"))));
    }

    private static void assertPasses(LintResult result) {
        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        // strict: no warning either (only the informational "[INFO] …" lines are allowed)
        assertThat(result.getMessages()).allSatisfy(message -> assertThat(message).doesNotContain("[WARNING]", "[ERROR]"));
    }
}
