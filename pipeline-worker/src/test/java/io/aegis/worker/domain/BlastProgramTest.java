package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.sequences.SequenceType;
import org.junit.jupiter.api.Test;

class BlastProgramTest {

    @Test
    void blastpSearchesProteinsAndBlastnNucleotides() {
        assertThat(BlastProgram.of("blastp").databaseType()).isEqualTo(SequenceType.PROTEIN);
        assertThat(BlastProgram.of("blastn").queryType()).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(BlastProgram.names()).containsExactly("blastp", "blastn");
    }

    @Test
    void aProgramFitsADatabaseOfItsOwnType() {
        assertThat(BlastProgram.BLASTP.mismatch("uniprot", SequenceType.PROTEIN)).isEmpty();
        assertThat(BlastProgram.BLASTN.mismatch("genomes", SequenceType.NUCLEOTIDE)).isEmpty();
    }

    @Test
    void aProgramOnADatabaseOfTheOtherTypeIsRefusedWithBothTypesNamed() {
        assertThat(BlastProgram.BLASTN.mismatch("uniprot", SequenceType.PROTEIN))
                .hasValue("blastn needs a nucleotide database; 'uniprot' is protein.");
        assertThat(BlastProgram.BLASTP.mismatch("genomes", SequenceType.NUCLEOTIDE))
                .hasValue("blastp needs a protein database; 'genomes' is nucleotide.");
    }

    @Test
    void anUnknownProgramIsNamedInTheError() {
        assertThatThrownBy(() -> BlastProgram.of("rm")).hasMessageContaining("'rm'").hasMessageContaining("blastp");
    }
}
