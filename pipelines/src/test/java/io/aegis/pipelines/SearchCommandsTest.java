package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.sequences.FastaRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchCommandsTest {

    private static final PipelineDefinition BLAST = Pipelines.load(Optional.empty()).find("blast").orElseThrow();
    private static final SearchCommands.Files FILES = new SearchCommands.Files("b.fa", "/db/demo", "b.tsv", "b.asn");

    @Test
    void theArchivingSearchWritesTheArchiveAndTheFormatCommandTabulatesIt() {
        ParameterRules.Resolved params = ParameterRules.resolve(BLAST, Map.of("program", "blastp", "evalue", 1e-5));
        assertThat(SearchCommands.archiving(BLAST, params, FILES)).startsWith("blastp", "-query", "b.fa", "-db", "/db/demo")
                .containsSubsequence("-outfmt", "11", "-out", "b.asn").containsSubsequence("-evalue", "1.0e-5")
                .doesNotContain("b.tsv");
        assertThat(SearchCommands.format(BLAST, FILES)).startsWith("blast_formatter", "-archive", "b.asn")
                .containsSubsequence("-out", "b.tsv");
    }

    @Test
    void theDirectSearchWritesTheSameColumnsTheFormatCommandWould() {
        ParameterRules.Resolved params = ParameterRules.resolve(BLAST, Map.of("program", "blastp", "evalue", 1e-5));
        String tabular = SearchCommands.format(BLAST, FILES).get(SearchCommands.format(BLAST, FILES).indexOf("-outfmt") + 1);
        assertThat(SearchCommands.direct(BLAST, params, FILES)).startsWith("blastp", "-query", "b.fa", "-db", "/db/demo")
                .containsSubsequence("-outfmt", tabular, "-out", "b.tsv").containsSubsequence("-evalue", "1.0e-5")
                .doesNotContain("b.asn");
    }

    @Test
    void parametersKeptAsTextMakeTheSameCommandAgain() {
        ParameterRules.Resolved given = ParameterRules.resolve(BLAST, Map.of("program", "blastp", "evalue", 0.001,
                "max_target_seqs", 50, "matrix", "PAM30"));
        ParameterRules.Resolved again = ParameterRules.resolve(BLAST, given.asText());
        assertThat(SearchCommands.archiving(BLAST, again, FILES)).isEqualTo(SearchCommands.archiving(BLAST, given, FILES));
    }

    @Test
    void queriesAreCarriedByTheirPositionWithoutDescription() {
        assertThat(SearchCommands.renamed(List.of(new FastaRecord("sp|P1|A", "first", "MKT"),
                new FastaRecord("q2", "", "AAV")))).containsExactly(new FastaRecord("Q1", "", "MKT"),
                new FastaRecord("Q2", "", "AAV"));
        assertThat(SearchCommands.queryId(0)).isEqualTo("Q1");
    }

    @Test
    void theSearchSpaceSaturatesAndAnUnknownSizeCountsAsTheLargest() {
        assertThat(SearchCommands.searchSpace(45_064, 446_016)).isEqualTo(45_064L * 446_016L);
        assertThat(SearchCommands.searchSpace(Long.MAX_VALUE / 2, 3)).isEqualTo(Long.MAX_VALUE);
        assertThat(SearchCommands.searchSpace(100, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(SearchCommands.searchSpace(0, 100)).isEqualTo(Long.MAX_VALUE);
    }
}
