package io.aegis.gateway.domain;

import io.aegis.events.JobSubmission;
import io.aegis.events.Problem;
import io.aegis.events.ProblemException;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.FastaRecord;
import io.aegis.sequences.SequenceType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a submission must meet before anything is stored: a known pipeline and database, valid
 * parameters, parseable FASTA within the limits, and queries whose alphabet fits the program.
 * Every violation is a 400 problem with a stable code naming the field.
 */
public final class SubmissionRules {

    public record Limits(long maxFastaBytes, int maxSequences, int maxSequenceLength) {
    }

    public static final String PIPELINE = "blast";
    private static final Map<String, SequenceType> PROGRAMS = Map.of(
            "blastp", SequenceType.PROTEIN, "blastn", SequenceType.NUCLEOTIDE);
    private static final Set<String> PARAMS = Set.of("program", "evalue", "max_target_seqs");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_NAME = 200;

    /**
     * @param databases every known database, or empty when the catalog could not be read (the
     *                  worker then checks the database itself, and the job is not matched for reuse)
     */
    public static JobSubmission validate(SubmitRequest request, Limits limits,
                                         Optional<Map<String, KnownDatabase>> databases) {
        String pipeline = request.pipeline() == null || request.pipeline().isBlank() ? PIPELINE : request.pipeline();
        if (!PIPELINE.equals(pipeline)) {
            throw invalid("UNKNOWN_PIPELINE", "pipeline", "Unknown pipeline '" + pipeline + "'; available: blast.");
        }
        Map<String, Object> params = params(request.params());
        String program = (String) params.get("program");
        String database = request.database();
        if (database == null || !DATABASE.matcher(database).matches()) {
            throw invalid("INVALID_PARAMETER", "database", "A database name (letters, digits, '.', '_', '-') is required.");
        }
        if (databases.isPresent()) {
            KnownDatabase known = databases.get().get(database);
            if (known == null) {
                throw invalid("UNKNOWN_DATABASE", "database", "There is no database '" + database + "'; available: "
                        + String.join(", ", databases.get().keySet().stream().sorted().toList()) + ".");
            }
            if (known.type() != PROGRAMS.get(program)) {
                throw invalid("DATABASE_TYPE_MISMATCH", "database", program + " searches " + lower(PROGRAMS.get(program))
                        + " databases; '" + database + "' is " + lower(known.type()) + ".");
            }
        }
        if (request.name() != null && request.name().length() > MAX_NAME) {
            throw invalid("INVALID_PARAMETER", "name", "A job name has at most " + MAX_NAME + " characters.");
        }
        String fasta = request.fasta();
        if (fasta == null || fasta.isBlank()) {
            throw invalid("INVALID_FASTA", "fasta", "No FASTA was sent.");
        }
        if (fasta.getBytes(StandardCharsets.UTF_8).length > limits.maxFastaBytes()) {
            throw invalid("INPUT_TOO_LARGE", "fasta", "The FASTA is larger than " + limits.maxFastaBytes() + " bytes.");
        }
        List<FastaRecord> records;
        try {
            records = Fasta.parse(fasta, new Fasta.Limits(limits.maxSequences(), limits.maxSequenceLength()));
        } catch (FastaException e) {
            throw invalid(e.code(), "fasta", e.getMessage());
        }
        SequenceType expected = PROGRAMS.get(program);
        FastaRecord mismatch = expected.firstMismatch(records);
        if (mismatch != null) {
            throw invalid("ALPHABET_MISMATCH", "fasta", program + " needs " + lower(expected) + " queries; '"
                    + mismatch.id() + "' looks " + lower(SequenceType.of(mismatch.sequence())) + ".");
        }
        long residues = records.stream().mapToLong(FastaRecord::length).sum();
        return new JobSubmission(blankToNull(request.name()), blankToNull(request.fileName()), pipeline, database,
                params, Fasta.write(records), records.size(), residues,
                databases.map(known -> known.get(database).version()).orElse(null), request.reuse());
    }

    static Map<String, Object> params(Map<String, Object> raw) {
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> given = raw == null ? Map.of() : raw;
        for (String key : given.keySet()) {
            if (!PARAMS.contains(key)) {
                throw invalid("INVALID_PARAMETER", "params." + key, "Unknown parameter '" + key + "'; allowed: "
                        + String.join(", ", PARAMS.stream().sorted().toList()) + ".");
            }
        }
        Object program = given.getOrDefault("program", "blastp");
        if (!(program instanceof String p) || !PROGRAMS.containsKey(p)) {
            throw invalid("INVALID_PARAMETER", "params.program", "program is one of blastp, blastn.");
        }
        params.put("program", program);
        if (given.containsKey("evalue")) {
            double evalue = number(given.get("evalue"), "params.evalue");
            if (!(evalue > 0) || Double.isInfinite(evalue)) {
                throw invalid("INVALID_PARAMETER", "params.evalue", "evalue must be a positive number.");
            }
            params.put("evalue", evalue);
        }
        if (given.containsKey("max_target_seqs")) {
            double max = number(given.get("max_target_seqs"), "params.max_target_seqs");
            if (max != Math.rint(max) || max < 1 || max > 5000) {
                throw invalid("INVALID_PARAMETER", "params.max_target_seqs", "max_target_seqs is a whole number from 1 to 5000.");
            }
            params.put("max_target_seqs", (int) max);
        }
        return params;
    }

    private static double number(Object value, String field) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw invalid("INVALID_PARAMETER", field, field.substring("params.".length()) + " must be a number.");
    }

    private static ProblemException invalid(String code, String field, String detail) {
        return new ProblemException(Problem.of(400, code, "Invalid job", detail)
                .withErrors(List.of(new Problem.FieldError(field, detail))));
    }

    private static String lower(SequenceType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private SubmissionRules() {
    }
}
