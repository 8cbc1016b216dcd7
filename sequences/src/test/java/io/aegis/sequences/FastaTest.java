package io.aegis.sequences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FastaTest {

    @Test
    void wrappedLinesBlankLinesAndCrLfAreJoinedIntoOneUpperCaseSequence() {
        List<FastaRecord> records = Fasta.parse("\r\n>sp|P1| first protein\r\nmkta\r\nYIAK\r\n\r\n>p2\nMSTN PKPQ\n");
        assertThat(records).containsExactly(
                new FastaRecord("sp|P1|", "first protein", "MKTAYIAK"),
                new FastaRecord("p2", "", "MSTNPKPQ"));
    }

    @Test
    void writingAndParsingAgainGivesTheSameRecords() {
        List<FastaRecord> records = List.of(new FastaRecord("a", "x y", "M".repeat(170)), new FastaRecord("b", "", "ACGT"));
        String text = Fasta.write(records);
        assertThat(text.lines()).allMatch(line -> line.length() <= 80 || line.startsWith(">"));
        assertThat(Fasta.parse(text)).isEqualTo(records);
    }

    @Test
    void textWithoutAHeaderIsNotFasta() {
        assertThatThrownBy(() -> Fasta.parse("MKTAYIAK\n"))
                .isInstanceOf(FastaException.class).hasMessageContaining("'>'")
                .extracting(e -> ((FastaException) e).code()).isEqualTo("INVALID_FASTA");
        assertThatThrownBy(() -> Fasta.parse("   \n\n")).hasMessageContaining("No sequences");
    }

    @Test
    void anEmptySequenceIsRejectedByName() {
        assertThatThrownBy(() -> Fasta.parse(">a\n>b\nMK\n")).hasMessageContaining("'a' is empty");
        assertThatThrownBy(() -> Fasta.parse(">a\nMK\n>b\n")).hasMessageContaining("'b' is empty");
    }

    @Test
    void duplicateIdsAndEmptyHeadersAreRejected() {
        assertThatThrownBy(() -> Fasta.parse(">a\nMK\n>a second\nMK\n")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Fasta.parse(">\nMK\n")).hasMessageContaining("without a sequence id");
    }

    @Test
    void nonLetterResiduesAreRejectedWithTheirLine() {
        assertThatThrownBy(() -> Fasta.parse(">a\nMK\nMK1T\n")).hasMessageContaining("Line 3").hasMessageContaining("'1'");
        assertThat(Fasta.parse(">a\nMK*-\n").getFirst().sequence()).isEqualTo("MK*-");
    }

    @Test
    void limitsStopTheParseWithTheirOwnCodes() {
        Fasta.Limits limits = new Fasta.Limits(2, 5);
        assertThatThrownBy(() -> Fasta.parse(">a\nM\n>b\nM\n>c\nM\n", limits))
                .extracting(e -> ((FastaException) e).code()).isEqualTo("TOO_MANY_SEQUENCES");
        assertThatThrownBy(() -> Fasta.parse(">a\nMKT\nAYI\n", limits))
                .extracting(e -> ((FastaException) e).code()).isEqualTo("SEQUENCE_TOO_LONG");
        assertThat(Fasta.parse(">a\nMKTAY\n>b\nM\n", limits)).hasSize(2);
    }
}
