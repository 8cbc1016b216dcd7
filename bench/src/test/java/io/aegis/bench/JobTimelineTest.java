package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobTimelineTest {

    private static final UUID JOB = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final List<JobProgressEvent> progress = new ArrayList<>();
    private final List<JobLogEvent> logs = new ArrayList<>();

    @Test
    void thePartsOfAJobAddUpToItsWallTime() {
        progress(40, null, null, JobStatus.RUNNING, null, true);                    // accepted: a heartbeat
        progress(50, Steps.VALIDATE, StepStatus.RUNNING, JobStatus.RUNNING, "Checking", false);
        progress(90, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING, "Searching", false);
        log(100, "batch 1/2: 60 sequences, blastp");
        progress(3_100, Steps.SEARCH, null, JobStatus.RUNNING, "batch 1/2 done", false);
        log(3_110, "batch 2/2: 55 sequences, blastp");
        progress(6_000, Steps.SEARCH, null, JobStatus.RUNNING, "batch 2/2 done", false);
        progress(6_005, Steps.SEARCH, StepStatus.COMPLETED, JobStatus.RUNNING, "115 queries searched", false);
        progress(6_020, Steps.MERGE, StepStatus.COMPLETED, JobStatus.RUNNING, "hits.tsv written", false);
        progress(6_030, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED, "Done", false);

        JobTimeline t = JobTimeline.of(T0, progress, logs, T0.plusMillis(6_034));

        assertThat(t.dispatch()).isCloseTo(0.040, within(1e-9));
        assertThat(t.prepare()).isCloseTo(0.050, within(1e-9));
        assertThat(t.search()).isCloseTo(5.915, within(1e-9));
        assertThat(t.batches()).isEqualTo(2);
        assertThat(t.batchSum()).isCloseTo(3.000 + 2.890, within(1e-9));
        assertThat(t.merge()).isCloseTo(0.015, within(1e-9));
        assertThat(t.finish()).isCloseTo(0.010, within(1e-9));
        assertThat(t.delivery()).isCloseTo(0.004, within(1e-9));
        assertThat(t.aroundSearch() + t.search()).isCloseTo(6.034, within(1e-9));
    }

    @Test
    void partsWhoseEventsWereNotSeenAreUnknown() {
        progress(40, null, null, JobStatus.RUNNING, null, true);
        JobTimeline t = JobTimeline.of(T0, progress, logs, T0.plusMillis(100));
        assertThat(t.dispatch()).isCloseTo(0.040, within(1e-9));
        assertThat(t.search()).isNaN();
        assertThat(t.batches()).isZero();
        assertThat(t.batchSum()).isNaN();
    }

    private void progress(long millis, String step, StepStatus stepStatus, JobStatus status, String message,
                          boolean heartbeat) {
        progress.add(new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, progress.size() + logs.size() + 1, step,
                stepStatus, 0, 115, status, message, null, null, heartbeat, "worker-1", T0.plusMillis(millis)));
    }

    private void log(long millis, String line) {
        logs.add(new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, progress.size() + logs.size() + 1, Steps.SEARCH,
                LogStream.STDOUT, "worker", line, T0.plusMillis(millis)));
    }
}
