package io.aegis.sequences;

import java.util.List;

/** Protein or nucleotide, judged from the residues. */
public enum SequenceType {
    PROTEIN, NUCLEOTIDE;

    private static final String NUCLEOTIDE_CORE = "ACGTUN";
    private static final String NUCLEOTIDE_IUPAC = "ACGTUNRYSWKMBDHV-";

    /**
     * A sequence is nucleotide when at least 90% of its residues are A, C, G, T, U or N and all are
     * IUPAC nucleotide codes; anything else is protein.
     */
    public static SequenceType of(String sequence) {
        return counts(sequence).isNucleotide() ? NUCLEOTIDE : PROTEIN;
    }

    /** The type of a set of sequences, judged over all their residues together. */
    public static SequenceType of(List<FastaRecord> records) {
        Tally tally = new Tally();
        records.forEach(r -> tally.add(r.sequence()));
        return tally.type();
    }

    /**
     * The type of a set of sequences seen one at a time, judged as {@link #of(List)} judges them all
     * together: for a set too large to hold at once.
     */
    public static final class Tally {

        private Counts total = new Counts(0, 0, true);

        public void add(String sequence) {
            Counts c = counts(sequence);
            total = new Counts(total.residues + c.residues, total.core + c.core, total.allIupac && c.allIupac);
        }

        public SequenceType type() {
            return total.isNucleotide() ? NUCLEOTIDE : PROTEIN;
        }
    }

    /** The first sequence whose residues do not fit this type, or null when all fit. */
    public FastaRecord firstMismatch(List<FastaRecord> records) {
        for (FastaRecord record : records) {
            if (of(record.sequence()) != this) {
                return record;
            }
        }
        return null;
    }

    private record Counts(long residues, long core, boolean allIupac) {

        boolean isNucleotide() {
            return residues > 0 && allIupac && core * 10 >= residues * 9;
        }
    }

    private static Counts counts(String sequence) {
        long core = 0;
        boolean iupac = true;
        for (int i = 0; i < sequence.length(); i++) {
            char c = Character.toUpperCase(sequence.charAt(i));
            if (NUCLEOTIDE_CORE.indexOf(c) >= 0) {
                core++;
            } else if (NUCLEOTIDE_IUPAC.indexOf(c) < 0) {
                iupac = false;
            }
        }
        return new Counts(sequence.length(), core, iupac);
    }
}
