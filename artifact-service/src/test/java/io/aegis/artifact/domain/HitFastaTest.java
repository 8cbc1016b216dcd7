package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class HitFastaTest {

    private static final List<String> COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore", "qseq", "sseq");

    private static String aligned(List<String> columns, String line) throws IOException {
        StringWriter out = new StringWriter();
        HitFasta.Aligned.of(columns).write(line, out);
        return out.toString();
    }

    @Test
    void anAlignedRegionIsTheSubjectsResiduesWithoutGapsNamedBySubjectRangeAndQuery() throws IOException {
        assertThat(aligned(COLUMNS, "q1\tseq2\t42.857\t42\t22\t1\t3\t44\t4\t43\t1.25e-09\t37.7\tLSPADK-TN\tLT--EKSAV"))
                .isEqualTo(">seq2:4-43 q1\nLTEKSAV\n");
    }

    @Test
    void theMinusStrandKeepsBlastsOrderAndADescriptionFollowsTheQuery() throws IOException {
        List<String> titled = new java.util.ArrayList<>(COLUMNS);
        titled.add("stitle");
        assertThat(aligned(titled, "q1\tchr1\t100\t4\t0\t0\t1\t4\t100\t97\t1e-3\t8.1\tACGT\tACGT\tChromosome 1"))
                .isEqualTo(">chr1:100-97 q1 Chromosome 1\nACGT\n");
    }

    @Test
    void residuesAreWrappedEightyToALine() throws IOException {
        String sseq = "A".repeat(80) + "--" + "C".repeat(81);
        assertThat(aligned(COLUMNS, "q\ts\t1\t1\t0\t0\t1\t1\t1\t161\t1\t1\t" + "M".repeat(163) + "\t" + sseq))
                .isEqualTo(">s:1-161 q\n" + "A".repeat(80) + "\n" + "C".repeat(80) + "\nC\n");
    }

    @Test
    void hitsWithoutAlignedSequencesHaveNoAlignedRegions() {
        assertThat(HitFasta.Aligned.possible(COLUMNS)).isTrue();
        assertThat(HitFasta.Aligned.possible(COLUMNS.subList(0, 12))).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> HitFasta.Aligned.of(COLUMNS.subList(0, 12)))
                .withMessageContaining("sseq");
    }

    @Test
    void aChosenSetIsSortedWithoutRepeatsAndBounded() {
        assertThat(HitFasta.selection(null)).contains(List.of());
        assertThat(HitFasta.selection(" ")).contains(List.of());
        assertThat(HitFasta.selection("7, 0,3,7")).contains(List.of(0L, 3L, 7L));
        String most = LongStream.range(0, HitFasta.MAX_SELECTED).mapToObj(Long::toString).collect(Collectors.joining(","));
        assertThat(HitFasta.selection(most)).hasValueSatisfying(ords -> assertThat(ords).hasSize(HitFasta.MAX_SELECTED));
        for (String bad : List.of(most + ",1000", "1,,2", "-1", "1.5", "x", "1;2", "99999999999999999999", ",")) {
            assertThat(HitFasta.selection(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void regionsAreNamedAndAlignedIsTheDefault() {
        assertThat(HitFasta.Region.named(null)).contains(HitFasta.Region.ALIGNED);
        assertThat(HitFasta.Region.named("full")).contains(HitFasta.Region.FULL);
        assertThat(HitFasta.Region.named("aligned")).contains(HitFasta.Region.ALIGNED);
        assertThat(HitFasta.Region.named("FULL")).isEqualTo(Optional.empty());
        assertThat(HitFasta.Region.named("whole")).isEmpty();
    }

    @Test
    void blastdbcmdsDeflineIsNamedAsTheHitNamesTheSubject() {
        // as blastdbcmd prints records of a -parse_seqids database, for the ids blastp reports
        assertThat(HitFasta.renamed(">P69905 Hemoglobin subunit alpha OS=Homo sapiens", "sp|P69905|HBA_HUMAN"))
                .isEqualTo(">sp|P69905|HBA_HUMAN Hemoglobin subunit alpha OS=Homo sapiens");
        assertThat(HitFasta.renamed(">NP_000509.1 versioned", "ref|NP_000509.1|")).isEqualTo(">ref|NP_000509.1| versioned");
        assertThat(HitFasta.renamed(">seq2 plain local id", "seq2")).isEqualTo(">seq2 plain local id");
        assertThat(HitFasta.renamed(">seq2", "seq2")).isEqualTo(">seq2");
    }

    @Test
    void aDeflineOfAnotherSequenceIsAnError() {
        assertThatIllegalArgumentException().isThrownBy(() -> HitFasta.renamed(">seq3 other", "seq2"))
                .withMessageContaining("seq3").withMessageContaining("seq2");
        assertThatIllegalArgumentException().isThrownBy(() -> HitFasta.renamed(">HBA_HUMA x", "sp|P69905|HBA_HUMAN"));
        assertThatIllegalArgumentException().isThrownBy(() -> HitFasta.renamed("MKV", "seq2"));
    }
}
