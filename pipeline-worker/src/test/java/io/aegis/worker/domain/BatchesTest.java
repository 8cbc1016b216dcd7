package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.sequences.FastaRecord;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static FastaRecord seq(String id, int length) {
        return new FastaRecord(id, "", "M".repeat(length));
    }

    @Test
    void batchesKeepOrderAndStayUnderTheResidueBound() {
        List<FastaRecord> records = IntStream.range(0, 10).mapToObj(i -> seq("s" + i, 30)).toList();
        List<List<FastaRecord>> batches = Batches.split(records, 100);
        assertThat(batches).hasSize(4);
        assertThat(batches).allSatisfy(b -> assertThat(b.stream().mapToInt(FastaRecord::length).sum()).isLessThanOrEqualTo(100));
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(records);
    }

    @Test
    void aSequenceLongerThanTheBoundIsNeverSplitAndGetsABatchOfItsOwn() {
        List<List<FastaRecord>> batches = Batches.split(List.of(seq("a", 10), seq("huge", 500), seq("b", 10)), 100);
        assertThat(batches).extracting(b -> b.stream().map(FastaRecord::id).toList())
                .containsExactly(List.of("a"), List.of("huge"), List.of("b"));
    }

    @Test
    void smallJobsAreSpreadOverEveryCoreButNeverPastTheBound() {
        assertThat(Batches.residuesPerBatch(1000, 2, 20_000)).isEqualTo(500);
        assertThat(Batches.residuesPerBatch(1_000_000, 2, 20_000)).isEqualTo(20_000);
        assertThat(Batches.residuesPerBatch(1, 4, 20_000)).isEqualTo(1);
    }

    @Test
    void aBatchExactlyAtTheBoundIsKeptWhole() {
        List<List<FastaRecord>> batches = Batches.split(List.of(seq("a", 60), seq("b", 40), seq("c", 1)), 100);
        assertThat(batches).extracting(List::size).containsExactly(2, 1);
    }

    @Test
    void noQueriesMakeNoBatches() {
        assertThat(Batches.split(List.of(), 100)).isEmpty();
    }

    @Test
    void aNonPositiveBoundIsRefused() {
        assertThatThrownBy(() -> Batches.split(List.of(seq("a", 1)), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
