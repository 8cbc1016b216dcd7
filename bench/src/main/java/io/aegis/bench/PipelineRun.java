package io.aegis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * One measured run of the pipeline benchmark: {@code blastp} by hand, or the same search as an Aegis
 * job with {@code concurrency} batches at a time. Each phase of {@code ./aegis bench pipeline} runs
 * in a process of its own and appends its row to {@code runs.tsv}; the report reads them back.
 *
 * @param seconds    wall time: the direct process from start to exit, or the job from just before the
 *                   submit request to its outcome received through Kafka
 * @param busyCores  how many cores the whole machine kept busy on average meanwhile (from /proc/stat)
 * @param otherCores how many of them went to other work than the stack, the bench and their tools
 *                   (other programs on the machine, and PostgreSQL and Redis, which are shared)
 * @param hits       for a job: its hits.tsv compared with the direct run of the same round
 * @param timeline   for a job: where the time went; null for the direct run
 */
record PipelineRun(int round, Kind kind, int concurrency, double seconds, double busyCores, double otherCores,
                   String hits,
                   JobTimeline timeline) {

    enum Kind {
        DIRECT, AEGIS
    }

    static final String HEADER = "round\tkind\tconcurrency\tseconds\tbusy_cores\tother_cores\thits"
            + "\tdispatch\tprepare\tsearch\tbatches\tbatch_sum\tmerge\tfinish\tdelivery";

    static PipelineRun direct(int round, double seconds, Machine.Usage usage) {
        return new PipelineRun(round, Kind.DIRECT, 1, seconds, usage.busyCores(), usage.otherCores(), "-", null);
    }

    String toTsv() {
        String head = String.format(Locale.ROOT, "%d\t%s\t%d\t%.3f\t%.2f\t%.2f\t%s", round,
                kind.name().toLowerCase(Locale.ROOT), concurrency, seconds, busyCores, otherCores, hits);
        if (timeline == null) {
            return head + "\t-\t-\t-\t-\t-\t-\t-\t-";
        }
        JobTimeline t = timeline;
        return head + String.format(Locale.ROOT, "\t%.3f\t%.3f\t%.3f\t%d\t%.3f\t%.3f\t%.3f\t%.3f", t.dispatch(),
                t.prepare(), t.search(), t.batches(), t.batchSum(), t.merge(), t.finish(), t.delivery());
    }

    static PipelineRun fromTsv(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 15) {
            throw new IllegalArgumentException("Not a pipeline run: " + line);
        }
        Kind kind = Kind.valueOf(f[1].toUpperCase(Locale.ROOT));
        JobTimeline timeline = kind == Kind.DIRECT ? null : new JobTimeline(number(f[7]), number(f[8]),
                number(f[9]), Integer.parseInt(f[10]), number(f[11]), number(f[12]), number(f[13]), number(f[14]));
        return new PipelineRun(Integer.parseInt(f[0]), kind, Integer.parseInt(f[2]), number(f[3]), number(f[4]),
                number(f[5]), f[6], timeline);
    }

    static void append(Path file, PipelineRun run) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, HEADER + "\n");
        }
        Files.writeString(file, run.toTsv() + "\n", StandardOpenOption.APPEND);
    }

    static List<PipelineRun> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().skip(1).filter(line -> !line.isBlank()).map(PipelineRun::fromTsv)
                .toList();
    }

    private static double number(String field) {
        return field.equals("-") ? Double.NaN : Double.parseDouble(field);
    }
}
