package io.aegis.sequences;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceTypeTest {

    @Test
    void dnaAndRnaAreNucleotide() {
        assertThat(SequenceType.of("ACGTACGTTGCA")).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(SequenceType.of("acguacgu")).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(SequenceType.of("ACGTNNNNACGTRYACGTAC")).isEqualTo(SequenceType.NUCLEOTIDE);
    }

    @Test
    void proteinsAreProteinEvenWhenRichInNucleotideLetters() {
        assertThat(SequenceType.of("MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ")).isEqualTo(SequenceType.PROTEIN);
        assertThat(SequenceType.of("ACGTACGTACGTACGTEEEE")).isEqualTo(SequenceType.PROTEIN);
        assertThat(SequenceType.of("ACGTACGTAQ")).isEqualTo(SequenceType.PROTEIN);
    }

    @Test
    void theFirstMismatchNamesTheSequenceThatDoesNotFit() {
        List<FastaRecord> records = List.of(new FastaRecord("p", "", "MKTAYIAKQR"),
                new FastaRecord("dna", "", "ACGTACGTACGT"));
        assertThat(SequenceType.PROTEIN.firstMismatch(records).id()).isEqualTo("dna");
        assertThat(SequenceType.NUCLEOTIDE.firstMismatch(records).id()).isEqualTo("p");
        assertThat(SequenceType.PROTEIN.firstMismatch(records.subList(0, 1))).isNull();
        assertThat(SequenceType.of(records)).isEqualTo(SequenceType.PROTEIN);
    }

    @Test
    void aTallyJudgesSequencesSeenOneByOneAsTheWholeSet() {
        List<FastaRecord> records = List.of(new FastaRecord("n1", "", "ACGTACGTAC"), new FastaRecord("n2", "", "ACGTNNACGQ"));
        SequenceType.Tally tally = new SequenceType.Tally();
        records.forEach(r -> tally.add(r.sequence()));
        assertThat(tally.type()).isEqualTo(SequenceType.of(records)).isEqualTo(SequenceType.PROTEIN);
        SequenceType.Tally dna = new SequenceType.Tally();
        dna.add("ACGTACGTAC");
        dna.add("ACGTNNACGT");
        assertThat(dna.type()).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(new SequenceType.Tally().type()).as("no residues at all").isEqualTo(SequenceType.PROTEIN);
    }
}
