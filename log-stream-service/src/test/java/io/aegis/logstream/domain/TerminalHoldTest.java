package io.aegis.logstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.EventJson;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.logstream.domain.TerminalHold.Decision;
import io.aegis.logstream.domain.TerminalHold.Seqs;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TerminalHoldTest {

    private static final UUID JOB = UUID.fromString("0b6c5f6e-8a43-4d4b-9d0e-2f1c3a4b5c6d");

    private static JobStateEvent end(Long lastLogSeq, Long lastProgressSeq) {
        return new JobStateEvent(JobStateEvent.SCHEMA, JOB, "alice", JobStatus.SUCCEEDED, "finalize", 5, 5, null, null,
                1, 7, null, Instant.parse("2026-12-02T10:00:00Z"), lastLogSeq, lastProgressSeq);
    }

    @Test
    void anEndTheWorkerReportedNamesItsLastLogAndProgressSeqs() {
        assertThat(TerminalHold.expected(end(44L, 57L))).contains(new Seqs(44, 57));
        // a worker that printed nothing
        assertThat(TerminalHold.expected(end(0L, 3L))).contains(new Seqs(0, 3));
    }

    @Test
    void anEndThatNamesNoneIsNotHeldForSeqs() {
        // from a producer that predates the fields, or decided by job-service without the worker
        assertThat(TerminalHold.expected(end(null, null))).isEmpty();
        assertThat(TerminalHold.expected(EventJson.decode("{\"schema\":1,\"jobId\":\"" + JOB
                + "\",\"status\":\"FAILED\",\"attempt\":1,\"version\":3}", JobStateEvent.class))).isEmpty();
    }

    @Test
    void theEndGoesInOnceTheBufferHasEveryLineAndProgressItNames() {
        Seqs named = new Seqs(44, 57);
        assertThat(TerminalHold.decide(named, new Seqs(44, 57), false)).isEqualTo(Decision.APPEND);
        // a redelivery can take the buffer past what the end names
        assertThat(TerminalHold.decide(named, new Seqs(44, 58), false)).isEqualTo(Decision.APPEND);
        // and once the hold has lasted, it goes in all the same, without a marker
        assertThat(TerminalHold.decide(named, new Seqs(44, 57), true)).isEqualTo(Decision.APPEND);
    }

    @Test
    void theEndWaitsWhileTheLastLinesOrTheLastProgressAreMissing() {
        Seqs named = new Seqs(44, 57);
        assertThat(TerminalHold.decide(named, new Seqs(0, 0), false)).isEqualTo(Decision.WAIT);
        // the progress is in, the log's consumer is behind (as after a broker restart)
        assertThat(TerminalHold.decide(named, new Seqs(12, 57), false)).isEqualTo(Decision.WAIT);
        // the lines are in, the outcome is not
        assertThat(TerminalHold.decide(named, new Seqs(44, 50), false)).isEqualTo(Decision.WAIT);
    }

    @Test
    void aHoldWaitedOutGoesInAfterAGapSayingTheTailIsMissing() {
        assertThat(TerminalHold.decide(new Seqs(44, 57), new Seqs(12, 57), true)).isEqualTo(Decision.APPEND_AFTER_GAP);
        StreamEvent marker = TerminalHold.tailMissing();
        assertThat(marker.type()).isEqualTo(StreamEvent.GAP);
        assertThat(EventJson.decode(marker.data(), JsonNode.class)
                .path("tailMissing").asBoolean()).isTrue();
        assertThat(marker.isDroppable()).isFalse();
    }

    @Test
    void twoCountsOfHowFarTheEventsWentAreTakenSeqBySeq() {
        // the buffer's own count and this replica's (which outlives Redis restarting empty)
        assertThat(new Seqs(44, 12).max(new Seqs(30, 57))).isEqualTo(new Seqs(44, 57));
    }

    @Test
    void aJobWithoutLinesWaitsOnlyForItsProgress() {
        assertThat(TerminalHold.decide(new Seqs(0, 3), new Seqs(0, 3), false)).isEqualTo(Decision.APPEND);
        assertThat(TerminalHold.decide(new Seqs(0, 3), new Seqs(0, 2), false)).isEqualTo(Decision.WAIT);
    }
}
