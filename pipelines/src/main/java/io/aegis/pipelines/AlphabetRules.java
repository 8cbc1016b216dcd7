package io.aegis.pipelines;

import io.aegis.sequences.FastaRecord;
import io.aegis.sequences.SequenceType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a search fits what it is given: the queries' alphabet and the database's type against
 * what the resolved parameters ({@link ParameterRules.Resolved#query()}, {@link ParameterRules.Resolved#database()})
 * ask for. The gateway applies these rules at submit and the worker again before it searches (the
 * database may have been rebuilt as another type since), so both refuse with the same code and the
 * same words.
 */
public final class AlphabetRules {

    public static final String ALPHABET_MISMATCH = "ALPHABET_MISMATCH";
    public static final String DATABASE_TYPE_MISMATCH = "DATABASE_TYPE_MISMATCH";

    /**
     * A search that does not fit.
     *
     * @param code    {@link #ALPHABET_MISMATCH} or {@link #DATABASE_TYPE_MISMATCH}, stable for programs
     * @param field   what the client sent that does not fit: {@code fasta} or {@code database}
     * @param message what does not fit and why, for people
     */
    public record Mismatch(String code, String field, String message) {
    }

    /** The refusal of a database {@code name} of {@code type}, when the search needs another type. */
    public static Optional<Mismatch> database(PipelineDefinition pipeline, ParameterRules.Resolved params, String name,
                                              SequenceType type) {
        if (params.database() == null || params.database() == type) {
            return Optional.empty();
        }
        return Optional.of(new Mismatch(DATABASE_TYPE_MISMATCH, "database", chosen(pipeline, params) + " searches "
                + lower(params.database()) + " databases; '" + name + "' is " + lower(type) + "."));
    }

    /** The refusal of the first query whose residues do not look like the alphabet the search needs. */
    public static Optional<Mismatch> queries(PipelineDefinition pipeline, ParameterRules.Resolved params,
                                             List<FastaRecord> queries) {
        FastaRecord mismatch = params.query() == null ? null : params.query().firstMismatch(queries);
        if (mismatch == null) {
            return Optional.empty();
        }
        return Optional.of(new Mismatch(ALPHABET_MISMATCH, "fasta", chosen(pipeline, params) + " needs "
                + lower(params.query()) + " queries; '" + mismatch.id() + "' looks "
                + lower(SequenceType.of(mismatch.sequence())) + "."));
    }

    /** What a user chose that decides the alphabets, as a message names it: the program, or the pipeline itself. */
    public static String chosen(PipelineDefinition pipeline, ParameterRules.Resolved params) {
        Object program = params.values().get("program");
        return program != null ? program.toString() : "Pipeline " + pipeline.name();
    }

    private static String lower(SequenceType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private AlphabetRules() {
    }
}
