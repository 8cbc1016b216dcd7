package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class TopAlignmentsTest {

    private static final List<String> COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore", "qseq", "sseq");

    private static String hit(String query, String subject, long qstart, long qend, long sstart, long send,
                              String qseq, String sseq) {
        return String.join("\t", query, subject, "100.000", Integer.toString(qseq.length()), "0", "0",
                Long.toString(qstart), Long.toString(qend), Long.toString(sstart), Long.toString(send),
                "1e-10", "50.1", qseq, sseq);
    }

    private record Rendered(TopAlignments.Written written, String text) {
    }

    private static Rendered render(int perQuery, String... lines) throws IOException {
        StringWriter out = new StringWriter();
        TopAlignments.Written written = TopAlignments.forColumns(COLUMNS, perQuery)
                .write(new BufferedReader(new StringReader(String.join("\n", lines))), out);
        return new Rendered(written, out.toString());
    }

    private static Rendered render(String... lines) throws IOException {
        return render(TopAlignments.DEFAULT_PER_QUERY, lines);
    }

    @Test
    void rendersAHitTheWayBlastPrintsAPairwiseAlignment() throws IOException {
        Rendered rendered = render(hit("q1", "sp|P1|ONE", 1, 3, 5, 7, "MKV", "MKV"));

        assertThat(rendered.text()).isEqualTo("""
                Query= q1

                > sp|P1|ONE
                 Score = 50.1 bits, Expect = 1e-10, Identities = 100.000%, Length = 3

                Query  1  MKV  3
                          MKV
                Sbjct  5  MKV  7

                """);
        assertThat(rendered.written()).isEqualTo(new TopAlignments.Written(1, 1));
    }

    @Test
    void gapsAreNotCountedAndTheMidlineShowsOnlyAgreement() throws IOException {
        Rendered rendered = render(hit("q1", "s1", 1, 4, 10, 13, "MK-VL", "MRAV-"));

        assertThat(rendered.text()).contains("""
                Query  1   MK-VL  4
                           M  V\s
                Sbjct  10  MRAV-  13
                """);
    }

    @Test
    void theMinusStrandCountsDownwards() throws IOException {
        Rendered rendered = render(hit("q1", "chr1", 1, 4, 100, 97, "ACGT", "ACGA"));

        assertThat(rendered.text()).contains("""
                Query  1    ACGT  4
                            ACG\s
                Sbjct  100  ACGA  97
                """);
    }

    @Test
    void longAlignmentsBreakIntoBlocksOfSixtyColumnsWithCoordinatesCarriedOver() throws IOException {
        String qseq = "A".repeat(30) + "-".repeat(5) + "A".repeat(30);
        String sseq = "A".repeat(65);
        Rendered rendered = render(hit("q1", "s1", 1, 60, 200, 136, qseq, sseq));

        String a60 = "A".repeat(30) + "-".repeat(5) + "A".repeat(25);
        assertThat(rendered.text()).contains(
                "Query  1    " + a60 + "  55\n",
                "Sbjct  200  " + "A".repeat(60) + "  141\n",
                "Query  56   AAAAA  60\n",
                "Sbjct  140  AAAAA  136\n");
    }

    @Test
    void aBlockOfGapsOnlyShowsWhereTheSequenceStands() throws IOException {
        String qseq = "M".repeat(60) + "---";
        String sseq = "M".repeat(63);
        Rendered rendered = render(hit("q1", "s1", 1, 60, 1, 63, qseq, sseq));

        assertThat(rendered.text()).contains("Query  61  ---  60\n", "Sbjct  61  MMM  63\n");
    }

    @Test
    void translatedSequencesCountThreePositionsPerResidue() throws IOException {
        Rendered forward = render(hit("dna", "s1", 4, 12, 1, 3, "MKV", "MKV"));
        Rendered reverse = render(hit("dna", "s1", 12, 4, 1, 3, "MKV", "MKV"));

        assertThat(forward.text()).contains("Query  4   MKV  12\n", "Sbjct  1   MKV  3\n");
        assertThat(reverse.text()).contains("Query  12  MKV  4\n");
    }

    @Test
    void onlyTheFirstHitsOfEachQueryAreRendered() throws IOException {
        Rendered rendered = render(2,
                hit("q1", "a", 1, 1, 1, 1, "M", "M"),
                hit("q1", "b", 1, 1, 1, 1, "M", "M"),
                hit("q1", "c", 1, 1, 1, 1, "M", "M"),
                hit("q2", "d", 1, 1, 1, 1, "M", "M"));

        assertThat(rendered.written()).isEqualTo(new TopAlignments.Written(2, 3));
        assertThat(rendered.text()).contains("Query= q1\n", "> a\n", "> b\n", "Query= q2\n", "> d\n")
                .doesNotContain("> c\n");
        assertThat(rendered.text().indexOf("> d")).isGreaterThan(rendered.text().indexOf("Query= q2"));
    }

    @Test
    void residuesLineUpWhateverTheCoordinateWidths() throws IOException {
        String seq = "MKVLA";
        Rendered rendered = render(hit("q1", "s1", 9, 13, 99_996, 100_000, seq, seq));

        List<String> block = rendered.text().lines().filter(l -> l.contains(seq)).toList();
        assertThat(block).hasSize(3);
        assertThat(block).allSatisfy(l -> assertThat(l.indexOf(seq)).isEqualTo(block.getFirst().indexOf(seq)));
    }

    @Test
    void noHitsWriteNothing() throws IOException {
        Rendered rendered = render("", "# no hits");
        assertThat(rendered.written()).isEqualTo(new TopAlignments.Written(0, 0));
        assertThat(rendered.text()).isEmpty();
    }

    @Test
    void hitsWithoutAlignedSequencesAreRefusedByName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TopAlignments.forColumns(COLUMNS.subList(0, 12)))
                .withMessageContaining("qseq, sseq");
    }

    @Test
    void alignedSequencesOfDifferentLengthsAreAnError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> render(hit("q1", "s1", 1, 3, 1, 3, "MKV", "MK")))
                .withMessageContaining("differ in length");
    }

    @Test
    void aPerQueryLimitBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> TopAlignments.forColumns(COLUMNS, 0));
    }
}
