package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunTest {

    @Test
    void aJobRunSurvivesItsRowInRunsTsv() {
        PipelineRun run = new PipelineRun(2, PipelineRun.Kind.AEGIS, 2, 31.25, 1.97, 0.04, "identical",
                new JobTimeline(0.045, 0.06, 30.9, 18, 61.2, 0.012, 0.003, 0.002));
        assertThat(PipelineRun.fromTsv(run.toTsv())).isEqualTo(run);
    }

    @Test
    void aDirectRunHasNoTimeline() {
        PipelineRun run = PipelineRun.direct(1, 58.3, new Machine.Usage(1.02, 0.01));
        PipelineRun back = PipelineRun.fromTsv(run.toTsv());
        assertThat(back.kind()).isEqualTo(PipelineRun.Kind.DIRECT);
        assertThat(back.timeline()).isNull();
        assertThat(back.seconds()).isEqualTo(58.3);
    }

    @Test
    void aPartNotSeenStaysUnknown() {
        PipelineRun run = new PipelineRun(1, PipelineRun.Kind.AEGIS, 1, 60, 1, Double.NaN, "-",
                new JobTimeline(0.04, Double.NaN, 59, 0, Double.NaN, 0.01, 0.01, 0.001));
        PipelineRun back = PipelineRun.fromTsv(run.toTsv());
        assertThat(back.timeline().prepare()).isNaN();
        assertThat(back.otherCores()).isNaN();
    }

    @Test
    void phasesAppendTheirRowsUnderOneHeader(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runs.tsv");
        PipelineRun.append(file, PipelineRun.direct(1, 58.3, new Machine.Usage(1.0, 0.0)));
        PipelineRun.append(file, PipelineRun.direct(2, 57.9, new Machine.Usage(1.0, 0.0)));
        assertThat(Files.readAllLines(file).getFirst()).isEqualTo(PipelineRun.HEADER);
        assertThat(PipelineRun.read(file)).extracting(PipelineRun::round).containsExactly(1, 2);
    }
}
