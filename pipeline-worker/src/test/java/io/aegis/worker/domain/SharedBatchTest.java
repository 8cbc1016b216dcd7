package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedBatchTest {

    @Test
    void everyMembersQueriesAreRenamedByMemberInOrder() {
        String fasta = SharedBatch.fasta(List.of(
                List.of(new FastaRecord("Q1", "", "MKT"), new FastaRecord("Q2", "", "AAV")),
                List.of(new FastaRecord("Q1", "", "WWC"))));
        assertThat(Fasta.parse(fasta)).containsExactly(new FastaRecord("M0_Q1", "", "MKT"),
                new FastaRecord("M0_Q2", "", "AAV"), new FastaRecord("M1_Q1", "", "WWC"));
    }

    @Test
    void eachRowGoesBackToItsMemberUnderItsOwnIdInOrder() throws IOException {
        StringWriter first = new StringWriter();
        StringWriter second = new StringWriter();
        StringWriter third = new StringWriter();
        SharedBatch.split(new BufferedReader(new StringReader("""
                M0_Q1\tsp|A\t99.0
                M0_Q1\tsp|B\t80.5
                M0_Q2\tsp|A_1\t70.0
                M2_Q1\tsp|C\t60.0
                """)), List.of(first, second, third));
        assertThat(first).hasToString("Q1\tsp|A\t99.0\nQ1\tsp|B\t80.5\nQ2\tsp|A_1\t70.0\n");
        assertThat(second).hasToString("");
        assertThat(third).hasToString("Q1\tsp|C\t60.0\n");
    }

    @Test
    void aRowOfNoMemberIsRefused() {
        for (String row : List.of("M3_Q1\tsp|A\n", "Q1\tsp|A\n", "Mx_Q1\tsp|A\n", "M_Q1\tsp|A\n", "M0\tsp|A_1\n")) {
            assertThatThrownBy(() -> SharedBatch.split(new BufferedReader(new StringReader(row)),
                    List.of(new StringWriter(), new StringWriter())))
                    .as(row).isInstanceOf(IOException.class).hasMessageContaining("names no query");
        }
    }
}
