package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HitTablesTest {

    private static final String A = "Q00001\tF00012_01\t91.2\t380\t33\t0\t1\t380\t1\t380\t1e-150\t600";
    private static final String B = "Q00001\tF00012_02\t71.0\t380\t110\t1\t1\t380\t1\t381\t3e-120\t450";
    private static final String C = "Q00002\tF00099_01\t55.5\t200\t89\t2\t3\t200\t5\t204\t2e-40\t150";

    @Test
    void theSameRowsInTheSameOrderAreIdentical() {
        HitTables.Comparison same = HitTables.compare(List.of(A, B, C), List.of(A, B, C));
        assertThat(same.verdict()).isEqualTo("identical");
        assertThat(same.describe()).isEqualTo("3 hit rows, identical to the direct run");
    }

    @Test
    void theSameRowsInAnotherOrderAreTheSameResult() {
        HitTables.Comparison reordered = HitTables.compare(List.of(C, A, B), List.of(A, B, C));
        assertThat(reordered.sameRows()).isTrue();
        assertThat(reordered.verdict()).isEqualTo("reordered");
    }

    @Test
    void missingAndExtraRowsAreCountedEachWithItsRepeats() {
        HitTables.Comparison differ = HitTables.compare(List.of(A, A, C), List.of(A, B, C));
        assertThat(differ.sameRows()).isFalse();
        assertThat(differ.onlyFirst()).isEqualTo(1);
        assertThat(differ.onlySecond()).isEqualTo(1);
        assertThat(differ.verdict()).isEqualTo("DIFFER(-1/+1)");
        assertThat(differ.describe()).startsWith("DIFFERENT from the direct run: 1 of its 3 rows missing");
    }

    @Test
    void anEmptyResultAgainstHitsIsDifferent() {
        assertThat(HitTables.compare(List.of(), List.of(A)).verdict()).isEqualTo("DIFFER(-0/+1)");
    }
}
