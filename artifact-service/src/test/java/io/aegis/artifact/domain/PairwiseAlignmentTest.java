package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairwiseAlignmentTest {

    private static final List<String> WITH_TITLES = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore", "qseq", "sseq", "stitle", "qlen", "slen", "qcovs");

    private static String[] fields(String line) {
        return line.split("\t", -1);
    }

    @Test
    void theColumnsBlastAddsForDescriptionsAreReadWhenThereAndTheSubjectLineShowsTheDescription() throws IOException {
        // a line blastp wrote with the columns the worker asks for
        PairwiseAlignment a = PairwiseAlignment.Columns.of(WITH_TITLES).read(fields(
                "q1\tseq2\t42.857\t42\t22\t1\t3\t44\t4\t43\t1.25e-09\t37.7\tLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYF"
                        + "\tLTPEEKSAVTALWGKV--NVDEVGGEALGRLLVVYPWTQRFF\tplain local id\t44\t147\t95"));
        assertThat(a.description()).isEqualTo("plain local id");
        assertThat(a.queryLength()).isEqualTo("44");
        assertThat(a.subjectLength()).isEqualTo("147");
        assertThat(a.queryCoverage()).isEqualTo("95");
        StringWriter out = new StringWriter();
        a.write(out);
        assertThat(out.toString()).startsWith("> seq2 plain local id\n Score = 37.7 bits, Expect = 1.25e-09,"
                + " Identities = 42.857%, Length = 42\n\nQuery  3   LSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYF  44\n");
        assertThat(out.toString()).contains("Sbjct  4   LTPEEKSAVTALWGKV--NVDEVGGEALGRLLVVYPWTQRFF  43\n");
    }

    @Test
    void theMidlineKeepsTheQuerysResidueWhereBothAgreeAndASpaceElsewhere() {
        assertThat(PairwiseAlignment.midline("MKv-L", "MRV-A")).isEqualTo("M v  ");
    }

    @Test
    void withoutTheOptionalColumnsTheyAreNullAndAnEmptyTitleIsNone() {
        List<String> base = WITH_TITLES.subList(0, 14);
        PairwiseAlignment a = PairwiseAlignment.Columns.of(base).read(fields(
                "q1\ts1\t100.000\t3\t0\t0\t1\t3\t5\t7\t1e-10\t50.1\tMKV\tMKV"));
        assertThat(a.description()).isNull();
        assertThat(a.queryLength()).isNull();
        PairwiseAlignment untitled = PairwiseAlignment.Columns.of(WITH_TITLES).read(fields(
                "q1\ts1\t100.000\t3\t0\t0\t1\t3\t5\t7\t1e-10\t50.1\tMKV\tMKV\t\t3\t9\t100"));
        assertThat(untitled.description()).isNull();
    }

    @Test
    void hitsWithoutAlignedSequencesCannotBeDrawn() {
        assertThat(PairwiseAlignment.drawable(WITH_TITLES)).isTrue();
        assertThat(PairwiseAlignment.drawable(WITH_TITLES.subList(0, 12))).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> PairwiseAlignment.Columns.of(WITH_TITLES.subList(0, 12)))
                .withMessageContaining("qseq, sseq");
    }
}
