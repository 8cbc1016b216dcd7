package io.aegis.logstream.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobLogEvent;
import io.aegis.events.LogStream;
import io.aegis.kubernetes.PodLogLine;
import io.aegis.kubernetes.PodLogLines;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PodLogEventsTest {

    @Test
    void aLineBecomesTheLogEventTheWorkerPublishesForItFromPodSlashContainerWithItsIndex() {
        UUID job = UUID.randomUUID();
        PodLogLine line = PodLogLines.line("aegis-a1b2-search-3-xk2p9", "tool", 2, "search", 7,
                "2026-12-02T10:00:00.5Z Searching");

        JobLogEvent event = PodLogEvents.event(job, line, Instant.EPOCH);

        assertThat(event).isEqualTo(new JobLogEvent(JobLogEvent.SCHEMA, job, 2, 7, "search", LogStream.STDOUT,
                "aegis-a1b2-search-3-xk2p9/tool", "Searching", Instant.parse("2026-12-02T10:00:00.5Z"), 7L));
        assertThat(PodLogEvents.origin(line.source())).isEqualTo("pod:aegis-a1b2-search-3-xk2p9/tool");
    }

    @Test
    void aLineWithoutATimestampIsDatedWhenItWasRead() {
        Instant now = Instant.parse("2026-12-02T10:00:01Z");
        PodLogLine line = PodLogLines.line("p", "c", 1, null, 0, "plain");
        assertThat(PodLogEvents.event(UUID.randomUUID(), line, now).at()).isEqualTo(now);
    }
}
