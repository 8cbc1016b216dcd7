package io.aegis.logstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
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
    void heartbeatsAndNonTerminalStatesAreNotShown() {
        assertThat(StreamEvent.of(new JobProgressEvent(1, JOB, 1, 1, null, null, 0, 0, JobStatus.RUNNING, null, null,
                null, true, "w", Instant.now()))).isEmpty();
        assertThat(StreamEvent.of(state(JobStatus.RUNNING))).isEmpty();
    }

    @Test
    void streamIdsOrderByTimeThenSequence() {
        assertThat(StreamIds.compare("1700000000000-1", "1700000000000-0")).isPositive();
        assertThat(StreamIds.compare("9-5", "10-0")).isNegative();
        assertThat(StreamIds.isValid("1-0")).isTrue();
        assertThat(StreamIds.isValid("abc")).isFalse();
        assertThat(StreamIds.isValid("1-x")).isFalse();
        assertThat(StreamIds.isValid("-1-0")).isFalse();
    }

    @Test
    void framesCarryIdTypeAndOneDataLinePerLine() {
        assertThat(SseFormat.frame(new StreamEvent("5-0", "log", "{\"a\":1}")))
                .isEqualTo("id: 5-0\nevent: log\ndata: {\"a\":1}\n\n");
        assertThat(SseFormat.frame(new StreamEvent(null, "x", "a\nb"))).isEqualTo("event: x\ndata: a\ndata: b\n\n");
    }
}
