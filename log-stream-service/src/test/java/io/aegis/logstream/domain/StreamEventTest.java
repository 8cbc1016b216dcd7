package io.aegis.logstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StepStatus;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamEventTest {

    private static final UUID JOB = UUID.randomUUID();

    private static JobStateEvent state(JobStatus status) {
        return new JobStateEvent(1, JOB, "alice", status, null, 0, 0, null, null, 1, 1, null, Instant.now());
    }

    @Test
    void eventsMapToTheirStreamTypes() {
        assertThat(StreamEvent.of(new JobLogEvent(1, JOB, 1, 1, "search", LogStream.STDERR, "blastp", "x",
                Instant.now()))).hasValueSatisfying(e -> assertThat(e.type()).isEqualTo("log"));
        assertThat(StreamEvent.of(state(JobStatus.CANCELLED))).hasValueSatisfying(e -> {
            assertThat(e.type()).isEqualTo("cancelled");
            assertThat(e.isTerminal()).isTrue();
        });
    }

    @Test
    void progressThatStartsOrEndsAStepIsAStepEvent() {
        assertThat(StreamEvent.of(new JobProgressEvent(1, JOB, 1, 2, "search", StepStatus.RUNNING, 0, 10,
                JobStatus.RUNNING, "Searching", null, null, false, "w", Instant.now())))
                .hasValueSatisfying(e -> assertThat(e.type()).isEqualTo("step"));
        assertThat(StreamEvent.of(new JobProgressEvent(1, JOB, 1, 3, "search", null, 4, 10,
                JobStatus.RUNNING, "4 of 10", null, null, false, "w", Instant.now())))
                .hasValueSatisfying(e -> assertThat(e.type()).isEqualTo("progress"));
    }

    @Test
    void onlyLogLinesMayBeDropped() {
        assertThat(new StreamEvent("1-1", "log", "{}").isDroppable()).isTrue();
        assertThat(new StreamEvent("1-1", "progress", "{}").isDroppable()).isFalse();
        assertThat(new StreamEvent("1-1", "succeeded", "{}").isDroppable()).isFalse();
    }

    @Test
    void gapAndDroppedEventsSayHowMany() {
        assertThat(StreamEvent.gap("7-12", java.util.OptionalLong.of(3))).isEqualTo(new StreamEvent("7-11", "gap", "{\"skipped\":3}"));
        assertThat(StreamEvent.gap("7-1", java.util.OptionalLong.empty())).isEqualTo(new StreamEvent("7-0", "gap", "{\"bufferLost\":true}"));
        assertThat(StreamEvent.dropped("7-9", 4)).isEqualTo(new StreamEvent("7-9", "dropped", "{\"count\":4}"));
    }

    @Test
    void heartbeatsAndNonTerminalStatesAreNotShown() {
        assertThat(StreamEvent.of(new JobProgressEvent(1, JOB, 1, 1, null, null, 0, 0, JobStatus.RUNNING, null, null,
                null, true, "w", Instant.now()))).isEmpty();
        assertThat(StreamEvent.of(state(JobStatus.RUNNING))).isEmpty();
    }

    @Test
    void framesCarryIdTypeAndOneDataLinePerLine() {
        assertThat(SseFormat.frame(new StreamEvent("5-0", "log", "{\"a\":1}")))
                .isEqualTo("id: 5-0\nevent: log\ndata: {\"a\":1}\n\n");
        assertThat(SseFormat.frame(new StreamEvent(null, "x", "a\nb"))).isEqualTo("event: x\ndata: a\ndata: b\n\n");
    }
}
