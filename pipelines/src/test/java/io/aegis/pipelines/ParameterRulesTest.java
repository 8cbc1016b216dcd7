package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.sequences.SequenceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParameterRulesTest {

    private static final PipelineDefinition BLAST = Pipelines.load(Optional.empty()).find("blast").orElseThrow();

    private static ParameterRules.Resolved resolve(Map<String, ?> params) {
        return ParameterRules.resolve(BLAST, params);
    }

    private static void refused(Map<String, ?> params, String field, String message) {
        assertThatThrownBy(() -> resolve(params)).isInstanceOf(InvalidParameter.class)
                .hasMessageContaining(message)
                .extracting(e -> ((InvalidParameter) e).field()).isEqualTo(field);
    }

    @Test
    void nothingGivenMeansBlastpWithBlastsDefaultTaskAndEvalue() {
        ParameterRules.Resolved r = resolve(Map.of());
        assertThat(r.values()).containsExactly(Map.entry("program", "blastp"), Map.entry("task", "blastp"),
                Map.entry("evalue", 10.0));
        assertThat(r.query()).isEqualTo(SequenceType.PROTEIN);
        assertThat(r.database()).isEqualTo(SequenceType.PROTEIN);
        assertThat(r.flags()).containsExactly("-task", "blastp", "-evalue", "10");
    }

    @Test
    void blastnDefaultsToMegablastAsBlastDoes() {
        ParameterRules.Resolved r = resolve(Map.of("program", "blastn"));
        assertThat(r.values()).containsEntry("task", "megablast");
        assertThat(r.flags()).containsSequence("-task", "megablast");
        assertThat(resolve(Map.of("program", "blastx")).values()).doesNotContainKey("task");
    }

    @Test
    void eachProgramSaysWhichQueriesAndDatabasesFit() {
        Map<String, List<SequenceType>> expected = Map.of(
                "blastp", List.of(SequenceType.PROTEIN, SequenceType.PROTEIN),
                "blastn", List.of(SequenceType.NUCLEOTIDE, SequenceType.NUCLEOTIDE),
                "blastx", List.of(SequenceType.NUCLEOTIDE, SequenceType.PROTEIN),
                "tblastn", List.of(SequenceType.PROTEIN, SequenceType.NUCLEOTIDE),
                "tblastx", List.of(SequenceType.NUCLEOTIDE, SequenceType.NUCLEOTIDE));
        expected.forEach((program, types) -> {
            ParameterRules.Resolved r = resolve(Map.of("program", program));
            assertThat(List.of(r.query(), r.database())).as(program).isEqualTo(types);
        });
    }

    @Test
    void givenParametersBecomeFlagsInDeclarationOrderWithCanonicalValues() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("word_size", "3");
        params.put("matrix", "PAM30");
        params.put("max_target_seqs", 50.0);
        params.put("evalue", "1e-5");
        params.put("task", "blastp-short");
        ParameterRules.Resolved r = resolve(params);
        assertThat(r.values()).containsEntry("word_size", 3L).containsEntry("max_target_seqs", 50L)
                .containsEntry("evalue", 1e-5);
        assertThat(r.flags()).containsExactly("-task", "blastp-short", "-evalue", "1.0e-5", "-max_target_seqs", "50",
                "-matrix", "PAM30", "-word_size", "3");
    }

    @Test
    void anUnknownParameterIsRefusedNamingItAndWhatIsAllowed() {
        refused(Map.of("evalu", 1), "params.evalu", "Unknown parameter 'evalu' for pipeline blast; allowed: comp_based_stats");
    }

    @Test
    void outOfRangeAndMistypedValuesAreRefusedSayingWhatFits() {
        refused(Map.of("evalue", 0), "params.evalue", "evalue must be a number greater than 0 and at most 1000.");
        refused(Map.of("evalue", "ten"), "params.evalue", "evalue must be a number");
        refused(Map.of("max_target_seqs", 5001), "params.max_target_seqs", "from 1 to 5000");
        refused(Map.of("max_target_seqs", 2.5), "params.max_target_seqs", "whole number");
        refused(Map.of("program", "blastz"), "params.program", "program must be one of blastp, blastn, blastx, tblastn, tblastx; not 'blastz'.");
        refused(Map.of("matrix", "BLOSUM63"), "params.matrix", "must be one of BLOSUM45");
        refused(Map.of("program", List.of("blastp")), "params.program", "must be one of");
    }

    @Test
    void aParameterOfAnotherProgramIsRefused() {
        refused(Map.of("program", "blastn", "matrix", "BLOSUM62"), "params.matrix",
                "Parameter 'matrix' does not apply when program is blastn (it applies to program blastp, blastx, tblastn, tblastx).");
        refused(Map.of("program", "blastp", "perc_identity", 90), "params.perc_identity", "does not apply when program is blastp");
    }

    @Test
    void theSameNameHasTheBoundsOfTheChosenProgram() {
        assertThat(resolve(Map.of("program", "blastn", "word_size", 28)).values()).containsEntry("word_size", 28L);
        refused(Map.of("program", "blastp", "word_size", 28), "params.word_size", "from 2 to 7");
        refused(Map.of("program", "blastn", "word_size", 3), "params.word_size", "from 4 to 64");
        refused(Map.of("program", "blastn", "task", "blastp-fast"), "params.task", "must be one of megablast");
    }

    @Test
    void aChoiceMayBeGivenAsAWholeNumber() {
        assertThat(resolve(Map.of("comp_based_stats", 0)).values()).containsEntry("comp_based_stats", "0");
    }

    @Test
    void nullValuesCountAsNotGiven() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("evalue", null);
        assertThat(resolve(params).values()).containsEntry("evalue", 10.0);
    }
}
