package io.aegis.sequences;

/**
 * One sequence of a FASTA file.
 *
 * @param id          the first word of the header line
 * @param description the rest of the header line (may be empty)
 * @param sequence    the residues, upper case, without white space
 */
public record FastaRecord(String id, String description, String sequence) {

    public int length() {
        return sequence.length();
    }

    /** This record as FASTA text, the sequence wrapped at {@code width} residues per line. */
    public String toFasta(int width) {
        StringBuilder out = new StringBuilder(sequence.length() + sequence.length() / width + id.length() + 16);
        out.append('>').append(id);
        if (!description.isEmpty()) {
            out.append(' ').append(description);
        }
        out.append('\n');
        for (int i = 0; i < sequence.length(); i += width) {
            out.append(sequence, i, Math.min(sequence.length(), i + width)).append('\n');
        }
        return out.toString();
    }
}
