package io.aegis.bench;

import io.aegis.bench.PipelineRun.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/** The figures of {@code ./aegis bench pipeline}, as text: the rounds side by side, the targets, where the time went. */
final class PipelineReport {

    static final double MAX_RATIO_ONE_SLOT = 1.10;
    static final double MIN_SPEEDUP_TWO_BATCHES = 1.7;
    static final double MAX_FIRST_PROGRESS_MEDIAN_MS = 300;
    /** Other work on the machine during a run, in cores, above which the run did not have the machine to itself. */
    static final double MAX_OTHER_CORES = 0.2;

    /** The three runs of one round; a missing one is null. */
    record Round(int round, PipelineRun direct, PipelineRun oneSlot, PipelineRun twoBatches) {

        boolean complete() {
            return direct != null && oneSlot != null && twoBatches != null;
        }

        /** Other work took from one of the runs: the round does not compare like with like. */
        boolean disturbed() {
            return Stream.of(direct, oneSlot, twoBatches).anyMatch(run -> run != null && run.otherCores() > MAX_OTHER_CORES);
        }
    }

    /** The rounds the figures are taken from: the complete ones the machine left alone, else every complete one. */
    static List<Round> counted(List<Round> rounds) {
        List<Round> complete = rounds.stream().filter(Round::complete).toList();
        List<Round> quiet = complete.stream().filter(r -> !r.disturbed()).toList();
        return quiet.isEmpty() ? complete : quiet;
    }

    private PipelineReport() {
    }

    static List<Round> rounds(List<PipelineRun> runs) {
        List<Round> rounds = new ArrayList<>();
        runs.stream().mapToInt(PipelineRun::round).distinct().sorted().forEach(round -> rounds.add(new Round(round,
                find(runs, round, Kind.DIRECT, 1), find(runs, round, Kind.AEGIS, 1), find(runs, round, Kind.AEGIS, 2))));
        return rounds;
    }

    /** Total time through Aegis with one slot over the total direct time, over the complete rounds. */
    static double ratioOneSlot(List<Round> rounds) {
        return total(rounds, r -> r.oneSlot().seconds()) / total(rounds, r -> r.direct().seconds());
    }

    /** Total direct time over the total time through Aegis with two batches at a time, over the complete rounds. */
    static double speedupTwoBatches(List<Round> rounds) {
        return total(rounds, r -> r.direct().seconds()) / total(rounds, r -> r.twoBatches().seconds());
    }

    static String format(String dataset, List<PipelineRun> runs, Optional<Latencies> firstProgress,
                         Optional<Latencies> submitAnswered) {
        List<Round> rounds = rounds(runs);
        StringBuilder out = new StringBuilder();
        out.append(dataset).append('\n');
        out.append(String.format(Locale.ROOT, "  %-6s %9s %14s %7s %17s %9s   %-22s %s%n", "round", "direct",
                "aegis, 1 slot", "ratio", "aegis, 2 batches", "speed-up", "other work (d / 1 / 2)", "hits vs direct (1 / 2)"));
        for (Round r : rounds) {
            out.append(String.format(Locale.ROOT, "  %-6d %9s %14s %7s %17s %9s   %-22s %s%n", r.round(),
                    seconds(r.direct()), seconds(r.oneSlot()),
                    r.direct() != null && r.oneSlot() != null ? ratio(r.oneSlot().seconds() / r.direct().seconds()) : "-",
                    seconds(r.twoBatches()),
                    r.direct() != null && r.twoBatches() != null ? speedup(r.direct().seconds() / r.twoBatches().seconds()) : "-",
                    others(r.direct()) + " / " + others(r.oneSlot()) + " / " + others(r.twoBatches()),
                    hits(r.oneSlot()) + " / " + hits(r.twoBatches()) + (r.disturbed() ? "   (disturbed)" : "")));
        }
        List<Round> complete = counted(rounds);
        if (complete.isEmpty()) {
            out.append("  no complete round: nothing to compare\n");
        } else {
            if (rounds.stream().anyMatch(Round::disturbed)) {
                out.append(String.format(Locale.ROOT, "  disturbed: other work on the machine took more than %.1f cores"
                        + " during a run of the round; %s%n", MAX_OTHER_CORES,
                        complete.stream().anyMatch(Round::disturbed) ? "NO ROUND WAS QUIET: the figures below are not reliable"
                                : "such rounds are left out below"));
            }
            double ratio = ratioOneSlot(complete);
            double speedup = speedupTwoBatches(complete);
            out.append(String.format(Locale.ROOT, "  %-6s %9s %14s %7s %17s %9s%n", "total",
                    String.format(Locale.ROOT, "%.1f s", total(complete, r -> r.direct().seconds())),
                    String.format(Locale.ROOT, "%.1f s", total(complete, r -> r.oneSlot().seconds())), ratio(ratio),
                    String.format(Locale.ROOT, "%.1f s", total(complete, r -> r.twoBatches().seconds())), speedup(speedup)));
            out.append(String.format(Locale.ROOT, "  target: 1 slot at most %.2f× the direct time: %s (%.3f)%n",
                    MAX_RATIO_ONE_SLOT, ratio <= MAX_RATIO_ONE_SLOT ? "met" : "NOT MET", ratio));
            out.append(String.format(Locale.ROOT, "  target: 2 batches at a time at least %.1f× faster than direct: %s (%.2f×)%n",
                    MIN_SPEEDUP_TWO_BATCHES, speedup >= MIN_SPEEDUP_TWO_BATCHES ? "met" : "NOT MET", speedup));
            boolean allMatch = runs.stream().filter(run -> run.kind() == Kind.AEGIS)
                    .allMatch(run -> run.hits().equals("identical") || run.hits().equals("reordered"));
            out.append(allMatch ? "  every Aegis result holds the same hit rows as the direct run of its round\n"
                    : "  SOME AEGIS RESULTS DIFFER FROM THE DIRECT RUN: the times above do not compare like with like\n");
        }
        out.append(breakdown(complete.isEmpty() ? rounds : complete));
        firstProgress.ifPresent(latencies -> out.append(String.format(Locale.ROOT,
                "submit → first progress event received (%d one-query jobs, one at a time): p50 %.1f ms, p90 %.1f ms, "
                        + "max %.1f ms; target median at most %.0f ms: %s%n", latencies.count(), latencies.p50(),
                latencies.p90(), latencies.max(), MAX_FIRST_PROGRESS_MEDIAN_MS,
                latencies.p50() <= MAX_FIRST_PROGRESS_MEDIAN_MS ? "met" : "NOT MET")));
        submitAnswered.ifPresent(latencies -> out.append(String.format(Locale.ROOT,
                "  of which the submit request itself (answered 202): p50 %.1f ms, p90 %.1f ms, max %.1f ms%n",
                latencies.p50(), latencies.p90(), latencies.max())));
        return out.toString();
    }

    /** The parts of each Aegis run, averaged over the rounds, against the direct time of the same rounds. */
    private static String breakdown(List<Round> rounds) {
        StringBuilder out = new StringBuilder("where the time of a job went (s, mean over the rounds in the total; from the worker's events):\n");
        out.append(String.format(Locale.ROOT, "  %-17s %7s %7s %9s %8s %8s %8s %8s %7s %7s %9s %8s%n", "", "wall",
                "direct", "dispatch", "prepare", "search", "batches", "Σ batch", "merge", "finish", "delivery",
                "around"));
        for (int concurrency : new int[] {1, 2}) {
            List<Round> with = rounds.stream().filter(r -> r.direct() != null
                    && (concurrency == 1 ? r.oneSlot() : r.twoBatches()) != null).toList();
            if (with.isEmpty()) {
                continue;
            }
            List<PipelineRun> jobs = with.stream().map(r -> concurrency == 1 ? r.oneSlot() : r.twoBatches()).toList();
            out.append(String.format(Locale.ROOT, "  %-17s %7.2f %7.2f %9.3f %8.3f %8.2f %8.0f %8.2f %7.3f %7.3f %9.3f %8.3f%n",
                    concurrency == 1 ? "aegis, 1 slot" : "aegis, 2 batches",
                    mean(jobs, PipelineRun::seconds), mean(with.stream().map(Round::direct).toList(), PipelineRun::seconds),
                    mean(jobs, j -> j.timeline().dispatch()), mean(jobs, j -> j.timeline().prepare()),
                    mean(jobs, j -> j.timeline().search()), mean(jobs, j -> j.timeline().batches()),
                    mean(jobs, j -> j.timeline().batchSum()), mean(jobs, j -> j.timeline().merge()),
                    mean(jobs, j -> j.timeline().finish()), mean(jobs, j -> j.timeline().delivery()),
                    mean(jobs, j -> j.timeline().aroundSearch())));
        }
        out.append("  dispatch: submit → the worker took the job; prepare: → search started; Σ batch: the blastp"
                + " batches' own times added up;\n  around: everything but the search\n");
        return out.toString();
    }

    private static PipelineRun find(List<PipelineRun> runs, int round, Kind kind, int concurrency) {
        return runs.stream().filter(r -> r.round() == round && r.kind() == kind && r.concurrency() == concurrency)
                .reduce((first, second) -> second).orElse(null);
    }

    private static double total(List<Round> rounds, ToDoubleFunction<Round> seconds) {
        return rounds.stream().mapToDouble(seconds).sum();
    }

    private static double mean(List<PipelineRun> runs, ToDoubleFunction<PipelineRun> value) {
        return runs.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    private static String seconds(PipelineRun run) {
        return run == null ? "-" : String.format(Locale.ROOT, "%.1f s", run.seconds());
    }

    private static String others(PipelineRun run) {
        return run == null ? "-" : String.format(Locale.ROOT, "%.2f", run.otherCores());
    }

    private static String hits(PipelineRun run) {
        return run == null ? "-" : run.hits();
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String speedup(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }
}
