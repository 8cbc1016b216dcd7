package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PipelineReportTest {

    private static PipelineRun job(int round, int concurrency, double seconds, String hits) {
        return new PipelineRun(round, PipelineRun.Kind.AEGIS, concurrency, seconds, concurrency, 0.02, hits,
                new JobTimeline(0.05, 0.05, seconds - 0.2, 18, seconds - 0.5, 0.05, 0.04, 0.01));
    }

    /** blastp by hand, with {@code others} cores of other work on the machine meanwhile. */
    private static PipelineRun direct(int round, double seconds, double others) {
        return PipelineRun.direct(round, seconds, new Machine.Usage(1 + others, others));
    }

    private final List<PipelineRun> runs = List.of(
            direct(1, 60, 0.02), job(1, 1, 63, "identical"), job(1, 2, 33, "identical"),
            direct(2, 58, 0.02), job(2, 1, 60, "identical"), job(2, 2, 32, "identical"));

    @Test
    void ratioAndSpeedUpAreTakenOverTheTotalsOfAllRounds() {
        List<PipelineReport.Round> rounds = PipelineReport.rounds(runs);
        assertThat(rounds).hasSize(2);
        assertThat(PipelineReport.ratioOneSlot(rounds)).isCloseTo(123.0 / 118, within(1e-9));
        assertThat(PipelineReport.speedupTwoBatches(rounds)).isCloseTo(118.0 / 65, within(1e-9));
    }

    @Test
    void theReportSaysWhetherEachTargetIsMet() {
        String report = PipelineReport.format("blastp, 1,000 queries", runs,
                Optional.of(Latencies.of(LongStream.rangeClosed(1, 50).map(i -> i * 2_000_000).toArray())),
                Optional.empty());
        assertThat(report).contains("1 slot at most 1.10× the direct time: met (1.042)");
        assertThat(report).contains("at least 1.7× faster than direct: met (1.82×)");
        assertThat(report).contains("every Aegis result holds the same hit rows");
        assertThat(report).contains("p50 50.0 ms, p90 90.0 ms, max 100.0 ms; target median at most 300 ms: met");
    }

    @Test
    void aMissedTargetAndADifferentResultAreSaidPlainly() {
        List<PipelineRun> slow = List.of(direct(1, 60, 0.02), job(1, 1, 70, "identical"),
                job(1, 2, 40, "DIFFER(-3/+0)"));
        String report = PipelineReport.format("blastp", slow, Optional.empty(), Optional.empty());
        assertThat(report).contains("1 slot at most 1.10× the direct time: NOT MET (1.167)");
        assertThat(report).contains("faster than direct: NOT MET (1.50×)");
        assertThat(report).contains("SOME AEGIS RESULTS DIFFER");
    }

    @Test
    void anUnfinishedRoundIsShownButNotCounted() {
        List<PipelineRun> partial = List.of(direct(1, 60, 0.02), job(1, 1, 61, "identical"),
                job(1, 2, 31, "identical"), direct(2, 90, 1.0));
        List<PipelineReport.Round> rounds = PipelineReport.rounds(partial);
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(1).complete()).isFalse();
        assertThat(PipelineReport.format("blastp", partial, Optional.empty(), Optional.empty()))
                .contains("met (1.017)");
    }

    @Test
    void aRoundWithOtherWorkOnTheMachineIsLeftOutWhenAQuietOneExists() {
        List<PipelineRun> mixed = List.of(
                direct(1, 63, 0.9), job(1, 1, 59, "identical"), job(1, 2, 33, "identical"),
                direct(2, 57, 0.05), job(2, 1, 59, "identical"), job(2, 2, 32, "identical"));
        List<PipelineReport.Round> rounds = PipelineReport.rounds(mixed);
        assertThat(rounds.get(0).disturbed()).isTrue();
        assertThat(PipelineReport.counted(rounds)).extracting(PipelineReport.Round::round).containsExactly(2);
        String report = PipelineReport.format("blastp", mixed, Optional.empty(), Optional.empty());
        assertThat(report).contains("(disturbed)").contains("such rounds are left out below")
                .contains("met (1.035)");
    }

    @Test
    void whenNoRoundWasQuietTheReportSaysItsFiguresAreNotReliable() {
        List<PipelineRun> busy = List.of(direct(1, 63, 0.9), job(1, 1, 59, "identical"),
                job(1, 2, 33, "identical"));
        assertThat(PipelineReport.format("blastp", busy, Optional.empty(), Optional.empty()))
                .contains("NO ROUND WAS QUIET");
    }
}
