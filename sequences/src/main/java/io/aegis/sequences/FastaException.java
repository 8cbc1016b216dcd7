package io.aegis.sequences;

/** Input that is not acceptable FASTA; {@code code} is stable (e.g. {@code INVALID_FASTA}). */
public class FastaException extends RuntimeException {

    private final String code;

    public FastaException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
