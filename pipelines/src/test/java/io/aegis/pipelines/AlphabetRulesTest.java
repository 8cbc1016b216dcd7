package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.sequences.FastaRecord;
import io.aegis.sequences.SequenceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlphabetRulesTest {

    private static final PipelineDefinition BLAST = Pipelines.load(Optional.empty()).find("blast").orElseThrow();
    /** A pipeline without a program: its own alphabets decide. */
    private static final PipelineDefinition ECHO = new PipelineDefinition("echo", "Echo", null, List.of(), List.of(),
            List.of(), SequenceType.PROTEIN, SequenceType.NUCLEOTIDE);
    private static final FastaRecord PROTEIN = new FastaRecord("p1", "", "MKTAYIAKQRQISFVKSHFSRQ");
    private static final FastaRecord DNA = new FastaRecord("n1", "", "ACGTACGTACGTACGTTTGA");

    private static ParameterRules.Resolved program(String program) {
        return ParameterRules.resolve(BLAST, Map.of("program", program));
    }

    @Test
    void queriesOfTheProgramsAlphabetFit() {
        assertThat(AlphabetRules.queries(BLAST, program("blastp"), List.of(PROTEIN))).isEmpty();
        assertThat(AlphabetRules.queries(BLAST, program("blastx"), List.of(DNA))).isEmpty();
    }

    @Test
    void theFirstQueryOfAnotherAlphabetIsNamedWithWhatItLooksLike() {
        assertThat(AlphabetRules.queries(BLAST, program("blastp"), List.of(PROTEIN, DNA, DNA))).contains(
                new AlphabetRules.Mismatch("ALPHABET_MISMATCH", "fasta", "blastp needs protein queries; 'n1' looks nucleotide."));
        assertThat(AlphabetRules.queries(BLAST, program("tblastx"), List.of(PROTEIN)).orElseThrow().message())
                .isEqualTo("tblastx needs nucleotide queries; 'p1' looks protein.");
    }

    @Test
    void aDatabaseOfTheTypeTheProgramSearchesFits() {
        assertThat(AlphabetRules.database(BLAST, program("blastp"), "demo", SequenceType.PROTEIN)).isEmpty();
        assertThat(AlphabetRules.database(BLAST, program("tblastn"), "nt", SequenceType.NUCLEOTIDE)).isEmpty();
    }

    @Test
    void aDatabaseOfAnotherTypeIsRefusedNamingBothTypes() {
        assertThat(AlphabetRules.database(BLAST, program("blastn"), "testdb", SequenceType.PROTEIN)).contains(
                new AlphabetRules.Mismatch("DATABASE_TYPE_MISMATCH", "database",
                        "blastn searches nucleotide databases; 'testdb' is protein."));
    }

    @Test
    void withoutAProgramThePipelineItselfDecidesAndIsNamed() {
        ParameterRules.Resolved params = ParameterRules.resolve(ECHO, Map.of());
        assertThat(AlphabetRules.chosen(ECHO, params)).isEqualTo("Pipeline echo");
        assertThat(AlphabetRules.queries(ECHO, params, List.of(DNA)).orElseThrow().message())
                .isEqualTo("Pipeline echo needs protein queries; 'n1' looks nucleotide.");
        assertThat(AlphabetRules.database(ECHO, params, "demo", SequenceType.PROTEIN).orElseThrow().message())
                .isEqualTo("Pipeline echo searches nucleotide databases; 'demo' is protein.");
    }

    @Test
    void aPipelineThatTakesAnyAlphabetRefusesNone() {
        PipelineDefinition any = new PipelineDefinition("any", "Any", null, List.of(), List.of(), List.of(), null, null);
        ParameterRules.Resolved params = ParameterRules.resolve(any, Map.of());
        assertThat(AlphabetRules.queries(any, params, List.of(PROTEIN, DNA))).isEmpty();
        assertThat(AlphabetRules.database(any, params, "demo", SequenceType.NUCLEOTIDE)).isEmpty();
    }
}
