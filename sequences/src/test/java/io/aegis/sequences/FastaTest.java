package io.aegis.sequences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
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
    void aSequenceOfStopsAndGapsAloneIsRefused() {
        assertThatThrownBy(() -> Fasta.parse(">stop\n*\n")).isInstanceOf(FastaException.class)
                .hasMessageContaining("'stop' holds no residue letter");
        assertThatThrownBy(() -> Fasta.parse(">a\nMK\n>gaps\n--*\n-\n")).hasMessageContaining("'gaps'");
        assertThat(Fasta.parse(">a\n*M\n").getFirst().sequence()).isEqualTo("*M");
    }

    @Test
    void anIdHoldingAControlCharacterIsRefusedWithoutEchoingIt() {
        for (String id : List.of("q\u001B[31mred", "nul\u0000", "bell\u0007", "del\u007F", "csi\u009B2J")) {
            assertThatThrownBy(() -> Fasta.parse(">ok\nMK\n>" + id + " a query\nMK\n"))
                    .isInstanceOf(FastaException.class)
                    .hasMessageContaining("Line 3: the sequence id holds the control character U+")
                    .extracting(Throwable::getMessage).asString().doesNotContainPattern("[\\x00-\\x1F\\x7F-\\x9F]");
        }
        // only the id: a description may carry what other tools put there (NCBI's definition separator ^A)
        assertThat(Fasta.parse(">sp|P1 first\u0001second\nMK\n").getFirst().description()).isEqualTo("first\u0001second");
    }

    @Test
    void aNonPrintableResidueIsNamedByItsCodePoint() {
        assertThatThrownBy(() -> Fasta.parse(">a\nMK\u001B[0mT\n")).hasMessageContaining("U+001B is not a residue letter");
    }

    @Test
    void limitsStopTheParseWithTheirOwnCodes() {
        Fasta.Limits limits = new Fasta.Limits(2, 5, 8);
        assertThatThrownBy(() -> Fasta.parse(">a\nM\n>b\nM\n>c\nM\n", limits))
                .extracting(e -> ((FastaException) e).code()).isEqualTo("TOO_MANY_SEQUENCES");
        assertThatThrownBy(() -> Fasta.parse(">a\nMKT\nAYI\n", limits))
                .extracting(e -> ((FastaException) e).code()).isEqualTo("SEQUENCE_TOO_LONG");
        assertThat(Fasta.parse(">a\nMKTAY\n>b\nM\n", limits)).hasSize(2);
        assertThatThrownBy(() -> Fasta.parse(">a\nM\n>ninechars\nM\n", limits))
                .isInstanceOfSatisfying(FastaException.class, e -> assertThat(e.code()).isEqualTo("ID_TOO_LONG"))
                .hasMessageContaining("Line 3").hasMessageContaining("at most 8");
        assertThat(Fasta.parse(">eightchr a description far longer than the id may be\nM\n", limits)).hasSize(1);
    }

    @Test
    void readingAStreamHandsOverEachRecordAsSoonAsItIsComplete() throws Exception {
        List<String> seen = new ArrayList<>();
        // the third record is broken: the first two have been handed over before the parse stops
        String text = ">a one\nMKTA\r\nYIAK\n>b\nMSTN\n>c\nMK1\n";
        assertThatThrownBy(() -> Fasta.read(new StringReader(text), Fasta.Limits.NONE, r -> seen.add(r.id())))
                .isInstanceOf(FastaException.class).hasMessageContaining("Line 7");
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void aStreamLargerThanTheReadBufferGivesTheSameRecordsAsParse() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append(">s").append(i).append(" sequence ").append(i).append("\r\n")
                    .append("MKTAYIAKQRQISFVKSHFSRQ".repeat(1 + i % 7)).append("\n\n");
        }
        List<FastaRecord> streamed = new ArrayList<>();
        Fasta.read(new StringReader(text.toString()), Fasta.Limits.NONE, streamed::add);
        assertThat(streamed).hasSize(3000).isEqualTo(Fasta.parse(text.toString()));
    }
}
