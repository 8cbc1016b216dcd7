package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.opentelemetry.context.Context;
import io.aegis.events.LogStream;
import io.aegis.worker.domain.LogRateLimiter;
import io.aegis.worker.messaging.WorkerEvents;
import io.aegis.worker.service.ToolExecutor.Line;
import io.aegis.worker.service.ToolExecutor.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the job's log gets from a tool's lines: run.log keeps every one, Kafka gets them as the limit allows. */
class JobReporterTest {

    private static final UUID JOB = UUID.fromString("4f1c7c1e-7d0a-4f43-9d7e-2d1f0b6a9c11");

    @TempDir
    Path dir;

    private final List<JobLogEvent> published = new CopyOnWriteArrayList<>();
    private final List<JobProgressEvent> reported = new CopyOnWriteArrayList<>();
    /** Whether the producer takes lines (it drops them while too many wait for the broker). */
    private volatile boolean taking = true;

    private final WorkerEvents events = new WorkerEvents(null, null) {
        @Override
        public void progress(JobProgressEvent event, Context trace) {
            reported.add(event);
        }

        @Override
        public boolean log(JobLogEvent event) {
            if (taking) {
                published.add(event);
            }
            return taking;
        }
    };

    @Test
    void theOutcomeTellsTheSeqOfTheLastLinePublishedAndNoOtherReportDoes() throws Exception {
        try (JobReporter report = new JobReporter(events, JOB, 1, 10, "worker-1", dir.resolve("results/run.log"),
                new LogRateLimiter(100, Duration.ofSeconds(1)))) {
            report.stepStarted("search", "searching");
            report.log("blastp", new Line(LogStream.STDOUT, "first"));
            report.log("blastp", new Line(LogStream.STDOUT, "second"));
            taking = false;
            report.log("blastp", new Line(LogStream.STDOUT, "dropped by the producer"));
            report.succeeded("done");
        }

        assertThat(published).extracting(JobLogEvent::seq).containsExactly(2L, 3L);
        assertThat(reported).extracting(JobProgressEvent::seq, JobProgressEvent::lastLogSeq)
                .containsExactly(tuple(1L, null), tuple(5L, 3L));
    }

    @Test
    void aPodsLineIsPublishedFromItsPodAndContainerWithItsIndexThereAndKeptInRunLog() throws Exception {
        Path runLog = dir.resolve("results/run.log");
        try (JobReporter report = new JobReporter(events, JOB, 2, 10, "worker-1", runLog,
                new LogRateLimiter(100, Duration.ofSeconds(1)))) {
            report.stepStarted("search", "searching");
            report.log("blastp", new Line(LogStream.STDOUT, "Searching \u001B[1m3\u001B[0m queries",
                    new Origin("aegis-4f1c-search-3-a2-x7k2p/tool", 41)));
            report.log("blastp", new Line(LogStream.STDERR, "Warning: a local line"));
        }

        assertThat(published).extracting(JobLogEvent::source, JobLogEvent::stream, JobLogEvent::line,
                JobLogEvent::sourceLine).containsExactly(
                        tuple("aegis-4f1c-search-3-a2-x7k2p/tool", LogStream.STDOUT,
                                "Searching 3 queries", 41L),
                        tuple("blastp", LogStream.STDERR, "Warning: a local line", null));
        assertThat(published).allMatch(line -> line.attempt() == 2 && "search".equals(line.step()));
        assertThat(Files.readAllLines(runLog)).containsExactly(
                "aegis-4f1c-search-3-a2-x7k2p/tool stdout: Searching 3 queries",
                "blastp stderr: Warning: a local line");
    }

    @Test
    void runLogKeepsEveryLineOfAPodWhileKafkaGetsWhatTheLimitAllows() throws Exception {
        Path runLog = dir.resolve("results/run.log");
        try (JobReporter report = new JobReporter(events, JOB, 1, 10, "worker-1", runLog,
                new LogRateLimiter(5, Duration.ofHours(1)))) {
            for (int i = 0; i < 20; i++) {
                report.log("blastp", new Line(LogStream.STDOUT, "line " + i, new Origin("p/tool", i)));
            }
        }

        assertThat(Files.readAllLines(runLog)).hasSize(20).last().isEqualTo("p/tool stdout: line 19");
        assertThat(published).hasSize(5).extracting(JobLogEvent::sourceLine).containsExactly(0L, 1L, 2L, 3L, 4L);
    }
}
