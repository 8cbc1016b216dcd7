package io.aegis.artifact.blast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlastFormatTest {

    @Test
    void theCommentedTableTakesTheColumnsItIsGivenAndTheOtherFormatsNone() {
        assertThat(BlastFormat.COMMENTED_TABULAR.outfmt(List.of("qseqid", "sseqid", "sscinames")))
                .isEqualTo("7 qseqid sseqid sscinames");
        assertThat(BlastFormat.COMMENTED_TABULAR.outfmt()).startsWith("7 qseqid sseqid pident").endsWith(" staxids");
        assertThat(BlastFormat.XML.outfmt(List.of("qseqid", "sseqid"))).isEqualTo("5");
    }

    @Test
    void anOperatorsColumnsStartWithTheQueryIdAndAreBlastFieldNamesEachOnce() {
        assertThat(BlastFormat.tabularColumns(List.of("qseqid", "sseqid", "evalue"))).containsExactly("qseqid", "sseqid", "evalue");
        assertThatThrownBy(() -> BlastFormat.tabularColumns(List.of("sseqid", "qseqid")))
                .hasMessageContaining("must start with qseqid");
        assertThatThrownBy(() -> BlastFormat.tabularColumns(List.of()))
                .hasMessageContaining("must start with qseqid");
        assertThatThrownBy(() -> BlastFormat.tabularColumns(List.of("qseqid", "evalue; rm -rf")))
                .hasMessageContaining("is not a BLAST field name");
        assertThatThrownBy(() -> BlastFormat.tabularColumns(List.of("qseqid", "evalue", "evalue")))
                .hasMessageContaining("one twice");
    }
}
