package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.worker.domain.ScratchRecord.ProcessId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A scratch folder's record: who made it, what it started, and when it is a leftover. */
class ScratchRecordTest {

    private static final ProcessId WORKER = new ProcessId(4242, Instant.parse("2026-01-05T10:00:00.120Z"));
    private static final ProcessId BLASTP = new ProcessId(5151, Instant.parse("2026-01-05T10:03:07.450Z"));

    @Test
    void linesAreReadBackAsWritten() {
        ScratchRecord record = ScratchRecord.parse(List.of(ScratchRecord.ownerLine("worker-a", WORKER),
                ScratchRecord.toolLine(BLASTP)));
        assertThat(record).isEqualTo(new ScratchRecord("worker-a", WORKER, List.of(BLASTP)));
        assertThat(ScratchRecord.toolLine(BLASTP)).isEqualTo("tool 5151 2026-01-05T10:03:07.450Z");
    }

    @Test
    void aLastLineTornAsTheWorkerDiedIsLeftOutButNoOwnerIsNoRecord() {
        assertThat(ScratchRecord.parse(List.of(ScratchRecord.ownerLine("worker-a", WORKER),
                ScratchRecord.toolLine(BLASTP), "tool 61")).tools()).containsExactly(BLASTP);
        assertThatThrownBy(() -> ScratchRecord.parse(List.of(ScratchRecord.toolLine(BLASTP))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScratchRecord.parse(List.of(ScratchRecord.ownerLine("worker-a", WORKER), "tool 61",
                ScratchRecord.toolLine(BLASTP)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScratchRecord.ownerLine("two words", WORKER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyARecordOfThisHostWhoseWorkerNoLongerRunsIsLeftBehind() {
        ScratchRecord record = new ScratchRecord("worker-a", WORKER, List.of(BLASTP));
        assertThat(record.leftBehindOn("worker-a", Set.<ProcessId>of()::contains)).isTrue();
        assertThat(record.leftBehindOn("worker-a", Set.of(WORKER)::contains)).as("its worker still runs").isFalse();
        assertThat(record.leftBehindOn("worker-b", Set.<ProcessId>of()::contains))
                .as("another host's process numbers mean nothing here").isFalse();
        // the number alone is not the process: one started later under the same number is another
        ProcessId reused = new ProcessId(WORKER.pid(), WORKER.started().plusSeconds(3600));
        assertThat(record.leftBehindOn("worker-a", Set.of(reused)::contains)).isTrue();
    }
}
