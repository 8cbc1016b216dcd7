package io.aegis.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.kubernetes.PodLogLines.Stamped;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodLogLinesTest {

    @Test
    void aTimestampedLineSplitsIntoItsInstantToTheNanosecondAndItsText() {
        assertThat(PodLogLines.split("2026-12-02T10:00:00.123456789Z Searching 3 queries"))
                .isEqualTo(new Stamped(Instant.parse("2026-12-02T10:00:00.123456789Z"), "Searching 3 queries"));
    }

    @Test
    void timestampsWithFewerFractionDigitsOrAnOffsetAreReadToo() {
        assertThat(PodLogLines.split("2026-12-02T10:00:00Z done").at()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(PodLogLines.split("2026-12-02T10:00:00.5Z done").at()).isEqualTo(Instant.parse("2026-12-02T10:00:00.500Z"));
        assertThat(PodLogLines.split("2026-12-02T11:00:00.25+01:00 done").at())
                .isEqualTo(Instant.parse("2026-12-02T10:00:00.250Z"));
    }

    @Test
    void onlyTheSpaceAfterTheTimestampGoesTheTextKeepsItsOwn() {
        assertThat(PodLogLines.split("2026-12-02T10:00:00Z   indented  ").text()).isEqualTo("  indented  ");
    }

    @Test
    void aTimestampAloneIsAnEmptyLine() {
        assertThat(PodLogLines.split("2026-12-02T10:00:00.1Z"))
                .isEqualTo(new Stamped(Instant.parse("2026-12-02T10:00:00.100Z"), ""));
    }

    @Test
    void aLineWithoutATimestampIsTakenWhole() {
        assertThat(PodLogLines.split("Warning: [blastp] Query_1: no hits")).isEqualTo(new Stamped(null, "Warning: [blastp] Query_1: no hits"));
        assertThat(PodLogLines.split("2026-12-02 10:00:00 not RFC 3339")).isEqualTo(new Stamped(null, "2026-12-02 10:00:00 not RFC 3339"));
        assertThat(PodLogLines.split("2026-13-45T99:00:00Z impossible date").at()).isNull();
        assertThat(PodLogLines.split("")).isEqualTo(new Stamped(null, ""));
        assertThat(PodLogLines.split(null)).isEqualTo(new Stamped(null, ""));
    }

    @Test
    void aLineIsSanitizedAsTheWorkersLinesAre() {
        PodLogLine line = PodLogLines.line("aegis-a1b2-search-3-xk2p9", "tool", 2, "search", 7,
                "2026-12-02T10:00:00.000000001Z \u001B[31mError\u001B[0m: password=hunter2\r");
        assertThat(line.text()).isEqualTo("Error: password=***");
        assertThat(line.at()).isEqualTo(Instant.parse("2026-12-02T10:00:00.000000001Z"));
        assertThat(line.index()).isEqualTo(7);
    }

    @Test
    void anAttemptLabelThatIsNoNumberCountsAsUnknown() {
        assertThat(PodLogLines.attempt("3")).isEqualTo(3);
        assertThat(PodLogLines.attempt("three")).isZero();
        assertThat(PodLogLines.attempt(null)).isZero();
    }
}
