package io.aegis.worker.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a BLAST job, checked again by the worker (the gateway applies the same rules):
 * they become command-line arguments, so nothing but a known program and plain numbers may get
 * through. {@code program} defaults to blastp.
 *
 * @param evalue        expectation value threshold; BLAST's own default is 10
 * @param maxTargetSeqs how many database sequences to keep per query, or null for BLAST's default
 */
public record BlastParams(BlastProgram program, double evalue, Integer maxTargetSeqs) {

    public static final BlastProgram DEFAULT_PROGRAM = BlastProgram.BLASTP;
    public static final double DEFAULT_EVALUE = 10;
    public static final int MAX_TARGET_SEQS = 5000;

    /** A parameter that cannot be used; {@code field} names it. */
    public static final class InvalidParameter extends IllegalArgumentException {

        private final String field;

        InvalidParameter(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static BlastParams of(Map<String, ?> params) {
        Map<String, ?> p = params == null ? Map.of() : params;
        Object name = p.get("program");
        BlastProgram program;
        try {
            program = name == null ? DEFAULT_PROGRAM : BlastProgram.of(name.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("program", "params.program: " + e.getMessage() + ".");
        }
        double evalue = p.get("evalue") == null ? DEFAULT_EVALUE : number("evalue", p.get("evalue"));
        if (!(evalue > 0) || Double.isInfinite(evalue)) {
            throw new InvalidParameter("evalue", "params.evalue must be a positive number.");
        }
        Integer maxTargetSeqs = null;
        if (p.get("max_target_seqs") != null) {
            double max = number("max_target_seqs", p.get("max_target_seqs"));
            if (max < 1 || max > MAX_TARGET_SEQS || max != Math.rint(max)) {
                throw new InvalidParameter("max_target_seqs",
                        "params.max_target_seqs must be a whole number from 1 to " + MAX_TARGET_SEQS + ".");
            }
            maxTargetSeqs = (int) max;
        }
        return new BlastParams(program, evalue, maxTargetSeqs);
    }

    /** The options after the program's own arguments, e.g. {@code -evalue 1.0E-5}. */
    public List<String> flags() {
        List<String> flags = new ArrayList<>(List.of("-evalue", Double.toString(evalue)));
        if (maxTargetSeqs != null) {
            flags.addAll(List.of("-max_target_seqs", Integer.toString(maxTargetSeqs)));
        }
        return flags;
    }

    private static double number(String field, Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new InvalidParameter(field, "params." + field + " must be a number, not '" + value + "'.");
        }
    }
}
